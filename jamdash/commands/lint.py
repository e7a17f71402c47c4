"""`jamdash lint`: every check on the spec and its generated output, in one report."""

from __future__ import annotations

import click

from jamdash.commands.generate import SPEC_OPTION
from jamdash.commands.output import note, report


@click.command("lint")
@SPEC_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for PR annotations.")
@click.pass_context
def command(ctx: click.Context, spec: str, fmt: str) -> None:
    """Lint the spec and what it generates.

    \b
    Example:
      jamdash lint
      jamdash lint --format github   # annotations on a pull request
    """
    from jamdash.findings import has_errors
    from jamdash.pipeline import build

    result = build(spec)
    findings = list(result.findings)
    if result.model is not None:
        from jamdash.check import dashboards
        from jamdash.generate import generate_all

        findings += dashboards.check(result.model, generate_all(result.model))
    report(findings, fmt, stream="stdout")
    errors = sum(f.severity == "error" for f in findings)
    note(ctx, f"{len(findings)} findings ({errors} errors)", verbose_only=True)
    ctx.exit(1 if has_errors(findings) else 0)
