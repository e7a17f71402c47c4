"""`jamdash diff --base REV`: is the working spec compatible with the spec at a git revision?"""

from __future__ import annotations

import os
import tempfile

from typing import TYPE_CHECKING

import click

from jamdash.commands.generate import SPEC_OPTION
from jamdash.commands.output import echo_lines, note, report
from jamdash.diff.gitrev import GitError, file_at
from jamdash.findings import Finding, display_path

if TYPE_CHECKING:
    from jamdash.model import Model


@click.command("diff")
@click.option("--base", required=True, metavar="REV", help="The git revision to compare with, e.g. origin/main.")
@SPEC_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "github"]), default="text",
              show_default=True, help="text for people, markdown for a pull-request comment, github for annotations.")
@click.pass_context
def command(ctx: click.Context, base: str, spec: str, fmt: str) -> None:
    """Compare the spec with the spec at git revision REV.

    Breaking: a metric or label removed or renamed, a type, unit or bucket
    change, a closed label value removed, a metric an alert or dashboard
    reads gone, a listed recorded series, a dashboard (or its uid) or a log
    event field gone. Safe, and listed: additions, alert, SLO and panel
    changes. Exits 1 on a breaking change the spec does not acknowledge (a
    rename kept as `deprecated: {renamed_to: ...}`, or a waiver naming the
    change id on the metric).

    \b
    Example:
      jamdash diff --base origin/main
      jamdash diff --base HEAD~1 --format markdown > comment.md
    """
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load pydantic-core, promql_parser and the rest of the pipeline (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.diff import report as compat_report
    from jamdash.diff.change import blocking
    from jamdash.diff.compare import compare
    from jamdash.pipeline import build

    note(ctx, f"reading {display_path(os.path.abspath(spec))} at {base} with git", verbose_only=True)
    try:
        old_text = file_at(base, spec)
    except GitError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2)
    result = build(spec)
    report(result.findings)
    if result.model is None:
        ctx.exit(1)
    shown = display_path(os.path.abspath(spec))
    if old_text is None:
        note(ctx, f"{shown} did not exist at {base}: every metric is new")
    with tempfile.TemporaryDirectory(prefix="jamdash-base-") as tmp:
        old_model, findings = base_model(old_text, os.path.join(tmp, os.path.basename(spec)), result.model.service)
        if old_model is None:
            report(f._replace(path=f"{base}:{shown}") for f in findings)
            click.echo(f"error: the spec at {base} does not build; compare with another revision", err=True)
            ctx.exit(1)
    note(ctx, f"comparing {len(old_model.metrics)} metrics at {base} with {len(result.model.metrics)} now, and "
              f"the alerts, recorded series, SLOs, dashboards and log events", verbose_only=True)
    changes = compare(old_model, result.model)
    if fmt == "markdown":
        click.echo(compat_report.markdown(changes, spec, base), nl=False)
    elif fmt == "github":
        click.echo(compat_report.github(changes, spec), nl=False)
    else:
        echo_lines(compat_report.text(changes, spec), err=False)
    note(ctx, compat_report.summary(changes, base))
    ctx.exit(1 if blocking(changes) else 0)


def base_model(text: bytes | None, path: str, service: str) -> tuple[Model | None, list[Finding]]:
    """The model of the base spec, leniently: lint rules added since the base do not stop the diff.
    No base spec: an empty one for the same service."""
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load pydantic-core and the rest of the pipeline (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.lint import lint
    from jamdash.load.spec_file import load
    from jamdash.resolve import resolve

    with open(path, "wb") as fh:
        fh.write(text if text is not None else f"version: 1\nservice: {service}\nmax_series: 1\nmetrics: {{}}\n".encode())
    doc, spec, findings = load(path)
    if spec is None or doc is None:
        return None, findings
    try:
        return resolve(spec, doc.source), []
    except Exception:  # an undeclared label, say: lint says what is wrong
        return None, lint(spec, doc.source)
