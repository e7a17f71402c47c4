"""`jamdash check`: does what runs (a /metrics endpoint, a Prometheus) match the spec?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from jamdash.commands.generate import SPEC_OPTION
from jamdash.commands.output import note, report

if TYPE_CHECKING:
    from jamdash.findings import Finding
    from jamdash.live.access import Access
    from jamdash.model import Model

TOP = 3  # metrics named in the "largest" note without --verbose


@click.command("check")
@SPEC_OPTION
@click.option("--metrics-url", metavar="URL", help="A /metrics endpoint to scrape (OpenMetrics or Prometheus text).")
@click.option("--prometheus-url", metavar="URL",
              help="A Prometheus, or a server with its /api/v1 (VictoriaMetrics ...), that scrapes the service.")
@click.option("--job", default=None,
              help="The scrape job of the service's targets.  [default: the spec's deployment.selector]")
@click.option("--selector", "extra", default="", metavar="MATCHERS",
              help="More label matchers for --prometheus-url's series queries, e.g. 'cluster=\"eu1\"'.")
@click.option("--all-metrics", is_flag=True,
              help="Report undeclared metrics of every prefix (python_gc_*, process_* ...), not only the service's.")
@click.option("--bearer-token-file", metavar="PATH", envvar="JAMDASH_BEARER_TOKEN_FILE", show_envvar=True,
              help="Send the token in this file (whitespace stripped) as `Authorization: Bearer`; never printed.")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Send this header with every request, e.g. 'X-Scope-OrgID: tenant-1' for Mimir or Cortex; "
                   "repeatable; values are never printed.")
@click.option("--ca-file", metavar="PATH", help="Verify the servers' TLS certificates against this CA bundle (PEM).")
@click.option("--cert-file", metavar="PATH",
              help="Present this client certificate (PEM) to servers behind mutual TLS; with its key unless "
                   "--key-file is given.")
@click.option("--key-file", metavar="PATH", help="The private key (PEM, unencrypted) of --cert-file's certificate.")
@click.option("--insecure-skip-verify", is_flag=True,
              help="Do not verify the servers' TLS certificates: insecure, anyone on the path can pose as the "
                   "server and read the credentials.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for each HTTP answer.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for PR annotations.")
@click.pass_context
def command(ctx: click.Context, spec: str, metrics_url: str | None, prometheus_url: str | None, job: str | None,
            extra: str, all_metrics: bool, bearer_token_file: str | None, headers: tuple[str, ...], ca_file: str | None,
            cert_file: str | None, key_file: str | None, insecure_skip_verify: bool, timeout: float, fmt: str) -> None:
    """Check a running service and its Prometheus against the spec.

    --metrics-url compares one exposition with the spec: missing and undeclared metrics, types,
    units, suffixes, buckets, labels, label values and series budgets. --prometheus-url asks a
    Prometheus whether the generated rule groups are loaded, unchanged and healthy, every metric and
    read recorded series has series for the job, and each metric keeps to its budget; pending and
    firing alerts are reported as information. Each finding is at the metric's (or rule's) line in
    the spec.

    \b
    Example:
      jamdash check --metrics-url http://127.0.0.1:8080/metrics
      jamdash check --prometheus-url http://prometheus:9090 --selector 'cluster="eu1"'
      jamdash check --prometheus-url https://mimir/prometheus --header 'X-Scope-OrgID: prod' \\
        --bearer-token-file /var/run/secrets/token --ca-file ca.pem
      jamdash check --prometheus-url https://thanos:10902 --ca-file ca.pem \\
        --cert-file client.pem --key-file client-key.pem
    Exit codes: 0 conforms, 1 findings, 2 usage error or an endpoint unreachable or unparsable.
    """
    from jamdash.findings import has_errors
    from jamdash.live.access import BadOption, access
    from jamdash.live.client import Unreachable
    from jamdash.live.exposition import Unparsable
    from jamdash.pipeline import build
    from jamdash.promql.syntax import matchers_problem

    if not metrics_url and not prometheus_url:
        raise click.UsageError("give --metrics-url, --prometheus-url or both")
    if extra and (problem := matchers_problem(extra)):
        raise click.BadParameter(problem, param_hint="--selector")
    urls = [url for url in (metrics_url, prometheus_url) if url]
    try:
        reach = access(bearer_token_file, headers, ca_file, insecure_skip_verify, urls, cert_file, key_file)
    except BadOption as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    result = build(spec)
    if result.model is None:
        report(result.findings, fmt, stream="stdout")
        note(ctx, "the spec has errors: fix them (jamdash lint) before checking what runs")
        ctx.exit(1)
    try:
        findings = _run(ctx, result.model, metrics_url, prometheus_url, job, extra, all_metrics, timeout, reach)
    except (Unreachable, Unparsable) as exc:
        click.echo(f"error: {reach.scrub(str(exc))}", err=True)
        ctx.exit(2)
    report([f._replace(message=reach.scrub(f.message)) for f in findings], fmt, stream="stdout")
    errors = sum(f.severity == "error" for f in findings)
    note(ctx, f"{len(findings)} findings ({errors} errors)" if findings else "conforms to the spec")
    ctx.exit(1 if has_errors(findings) else 0)


def _run(ctx: click.Context, model: Model, metrics_url: str | None, prometheus_url: str | None, job: str | None,
         extra: str, all_metrics: bool, timeout: float, reach: Access) -> list[Finding]:
    """The findings of both checks; notes scrubbed of secrets (findings are scrubbed by the caller)."""
    from jamdash.live import conformance, deployment
    from jamdash.live.exposition import scrape
    from jamdash.live.prometheus_api import PrometheusApi

    findings: list[Finding] = []
    if metrics_url:
        exposition = scrape(metrics_url, timeout, reach)
        note(ctx, f"{exposition.source}: {len(exposition.families)} metric families ({exposition.format})",
             verbose_only=True)
        findings += conformance.check(model, exposition, all_metrics)
    if prometheus_url:
        checked = deployment.check(model, PrometheusApi(prometheus_url, timeout, reach), job, extra)
        findings += checked.findings
        verbose = (ctx.find_root().obj or {}).get("verbose")
        shown = checked.largest if verbose else checked.largest[:TOP]
        if shown:
            note(ctx, reach.scrub("largest per target: " + "; ".join(shown)))
    return findings
