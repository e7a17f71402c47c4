"""How commands print: findings and notes to stderr, colour only on a terminal, NO_COLOR respected."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

from jamdash.findings import ERROR, FORMATTERS, Finding

_COLOURS = {"error": "red", "warning": "yellow"}


def use_colour() -> bool:
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR")


def report(findings: Iterable[Finding], fmt: str = "text", stream: str = "stderr") -> None:
    """Print findings in fmt (text, json or github)."""
    findings = list(findings)
    if not findings and fmt != "json":
        return
    text = FORMATTERS[fmt](findings)
    err = stream == "stderr"
    if fmt == "text" and use_colour():
        for line in text.splitlines():
            severity = ERROR if f": {ERROR}: " in line else "warning"
            click.secho(line, fg=_COLOURS[severity], err=err, color=True)
    else:
        click.echo(text, nl=False, err=err)


def note(ctx: click.Context, message: str, verbose_only: bool = False) -> None:
    """A progress line on stderr, hidden by --quiet (and shown only with --verbose if verbose_only)."""
    opts = ctx.find_root().obj or {}
    if opts.get("quiet") or (verbose_only and not opts.get("verbose")):
        return
    click.echo(message, err=True)
