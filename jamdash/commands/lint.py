"""`jamdash lint`: every check on the spec and its generated output, in one report."""

from __future__ import annotations

import os
from pathlib import Path

import click

from jamdash.commands.generate import SPEC_OPTION
from jamdash.commands.output import note, report
from jamdash.findings import has_errors


@click.command("lint")
@SPEC_OPTION
@click.option("--out", default="generated", show_default=True, type=click.Path(file_okay=False),
              help="Where generate writes; findings in generated files are shown there. Lint checks what "
                   "the spec generates now, not the files on disk ('generate --check' compares those).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for PR annotations.")
@click.option("--no-cache", is_flag=True,
              help="Run promtool on every file, even those that passed before unchanged (as JAMDASH_NO_CACHE=1).")
@click.pass_context
def command(ctx: click.Context, spec: str, out: str, fmt: str, no_cache: bool) -> None:
    """Lint the spec and what it generates.

    Checks the spec, then runs `promtool check rules` and `promtool test rules` on the rule
    files the spec generates now (in a temporary folder, so a stale or missing --out does not
    hide a problem) and reports any alert or recorded series without a test.
    A promtool run whose input (files and promtool) passed before is not run again: passes are
    remembered in ~/.cache/jamdash/promtool. --no-cache, or JAMDASH_NO_CACHE=1 as CI sets it,
    runs everything.

    \b
    Example:
      jamdash lint
      jamdash lint --format github   # annotations on a pull request
    Exit codes: 0 clean, 1 findings, 2 promtool missing.
    """
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load pydantic-core, Jinja2, grafanalib and promql_parser (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.cache import NO_CACHE_ENV
    from jamdash.check.promtool import ToolMissing
    from jamdash.findings import display_path
    from jamdash.pipeline import build

    def step(message: str) -> None:
        note(ctx, message, verbose_only=True)

    if no_cache:
        os.environ[NO_CACHE_ENV] = "1"
    result = build(spec)
    findings = list(result.findings)
    step(f"read {display_path(spec)}: load, shape, lint rules and PromQL checks: {len(findings)} findings")
    if result.model is None:
        step("the spec has errors: nothing generated, promtool not run")
    else:
        from jamdash.check import check_generated, dashboards  # lazily, as above
        from jamdash.generate import generate_all

        files = generate_all(result.model)
        rules = sum(path.startswith("prometheus/") for path in files)
        step(f"generated {len(files)} files in memory; dashboard-linter rules on "
             f"{sum(path.startswith('grafana/dashboards/') for path in files)} dashboards")
        findings += dashboards.check(result.model, files)
        if result.model.dashboards is not None:
            note(ctx, dashboards.coverage_summary(result.model, files))
        step(f"promtool check rules and test rules on the {rules} Prometheus files, in a temporary folder")
        try:  # promtool on the rule files, and every alert and recorded series tested
            findings += check_generated(result.model, files, Path(out))
        except ToolMissing as exc:
            report(findings, fmt, stream="stdout")
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
    report(findings, fmt, stream="stdout")
    errors = sum(f.severity == "error" for f in findings)
    note(ctx, f"{len(findings)} findings ({errors} errors)", verbose_only=True)
    ctx.exit(1 if has_errors(findings) else 0)
