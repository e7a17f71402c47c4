"""How commands print: findings and notes to stderr, colour only on a terminal, NO_COLOR respected."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

from jamdash.findings import ERROR, FORMATTERS, WARNING, Finding

_COLOURS = {ERROR: "red", WARNING: "yellow"}


def use_colour(err: bool = True) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org)."""
    stream = sys.stderr if err else sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _options() -> dict[str, bool]:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}) if ctx else {}


def echo_lines(text: str, err: bool) -> None:
    """Print finding-style lines, `file:line:col: error: ...` in red and warnings in yellow on a terminal."""
    if not use_colour(err):
        click.echo(text, nl=False, err=err)
        return
    for line in text.splitlines():
        severity = next((s for s in _COLOURS if f": {s}: " in line), None)
        click.secho(line, fg=_COLOURS[severity] if severity else None, err=err, color=True)


def report(findings: Iterable[Finding], fmt: str = "text", stream: str = "stderr") -> None:
    """Print findings in fmt (text, json or github); --quiet leaves only the errors of text output."""
    findings = list(findings)
    if fmt == "text" and _options().get("quiet"):
        findings = [f for f in findings if f.severity == ERROR]
    if not findings and fmt != "json":
        return
    text = FORMATTERS[fmt](findings)
    err = stream == "stderr"
    if fmt == "text":
        echo_lines(text, err)
    else:
        click.echo(text, nl=False, err=err)


def note(ctx: click.Context, message: str, verbose_only: bool = False) -> None:
    """A progress line on stderr, hidden by --quiet (and shown only with --verbose if verbose_only)."""
    opts = ctx.find_root().obj or {}
    if opts.get("quiet") or (verbose_only and not opts.get("verbose")):
        return
    click.echo(message, err=True)
