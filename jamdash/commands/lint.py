"""`jamdash lint`: every check on the spec and its generated output, in one report."""

from __future__ import annotations

import os
from pathlib import Path

import click

from jamdash.commands.generate import OUT_OPTION, SPEC_OPTION
from jamdash.commands.output import note, report
from jamdash.findings import has_errors


@click.command("lint")
@SPEC_OPTION
@OUT_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for PR annotations.")
@click.option("--no-cache", is_flag=True,
              help="Run promtool on every file, even those that passed before unchanged (as JAMDASH_NO_CACHE=1).")
@click.pass_context
def command(ctx: click.Context, spec: str, out: str, fmt: str, no_cache: bool) -> None:
    """Lint the spec and what it generates.

    Checks the spec, then runs `promtool check rules` and `promtool test rules` on the
    generated rule files and reports any alert or recorded series without a test.
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
    # these load pydantic, Jinja2, grafanalib and promql_parser (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.cache import NO_CACHE_ENV
    from jamdash.check.promtool import ToolMissing
    from jamdash.pipeline import build

    if no_cache:
        os.environ[NO_CACHE_ENV] = "1"
    result = build(spec)
    findings = list(result.findings)
    if result.model is not None:
        from jamdash.check import dashboards, run_checks  # lazily, as above
        from jamdash.generate import generate_all

        files = generate_all(result.model)
        findings += dashboards.check(result.model, files)
        if result.model.dashboards is not None:
            note(ctx, dashboards.coverage_summary(result.model, files))
        try:  # promtool on the rule files, and every alert and recorded series tested
            findings += run_checks(result.model, Path(out))
        except ToolMissing as exc:
            report(findings, fmt, stream="stdout")
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
    report(findings, fmt, stream="stdout")
    errors = sum(f.severity == "error" for f in findings)
    note(ctx, f"{len(findings)} findings ({errors} errors)", verbose_only=True)
    ctx.exit(1 if has_errors(findings) else 0)
