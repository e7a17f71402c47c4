"""`jamdash generate`: spec in, generated/ out (or --check it)."""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from jamdash.commands import dataclass_code
from jamdash.commands.output import note, report
from jamdash.findings import display_path
from jamdash.write import Drift, compare, write_tree


class SpecPath(click.Path):
    """An existing regular file: a FIFO, device or socket would block the read or never end."""

    def __init__(self) -> None:
        super().__init__(exists=True, dir_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError as exc:
            self.fail(f"{click.format_filename(path)}: {exc.strerror}", param, ctx)
        if not regular:
            self.fail(f"{click.format_filename(path)} is not a regular file (a FIFO, device or socket?)",
                      param, ctx)
        return path


class OutPath(click.Path):
    """A folder that may not exist yet, but whose name the system accepts (not too long, no symlink loop)."""

    def __init__(self) -> None:
        super().__init__(file_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno not in (errno.ENAMETOOLONG, errno.ELOOP):
                return path  # missing, or not a folder: the write says so
            shown = click.format_filename(path)
            self.fail(f"{shown if len(shown) <= 80 else shown[:79] + '…'}: {exc.strerror}", param, ctx)
        return path


SPEC_OPTION = click.option(
    "--spec", default="metrics_spec.yaml", show_default=True, type=SpecPath(), help="The spec to read.",
)
OUT_OPTION = click.option(
    "--out", default="generated", show_default=True, type=OutPath(), help="The folder jamdash owns and rewrites.",
)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Imports make next to no garbage, only objects that live until exit: the cyclic garbage collector
    is paused while they run and what they made is frozen before it resumes (else its first pass would
    scan all of it), ~25 ms of a cold run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Everything imported by then (modules, classes, the spec's validator) lives until exit: frozen,
    the cyclic garbage collector stops scanning it again and again while the spec is read and the
    output built (~30 ms of a cold run). Unfrozen after, for callers that run on (tests)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


MAX_DIFFS = 5  # files whose diff --check shows; the others are listed by name


def _show_drift(drift: Drift, out_dir: Path) -> None:
    """Each drifted file by name, the first MAX_DIFFS with their short diff, then how many diffs were left out."""
    kinds = {**{p: "stale" for p in drift.stale}, **{p: "missing" for p in drift.missing},
             **{p: "extra" for p in drift.extra}}
    for i, (path, diff) in enumerate(drift.diffs.items()):
        shown = f"{kinds[path]}: {display_path(str(out_dir / path))}"
        click.echo(f"{shown}\n{diff}" if i < MAX_DIFFS else shown, err=True)
    if len(drift.diffs) > MAX_DIFFS:
        click.echo(f"... diffs of {len(drift.diffs) - MAX_DIFFS} more files not shown", err=True)


@click.command("generate")
@SPEC_OPTION
@OUT_OPTION
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is stale, missing or extra.")
@click.pass_context
def command(ctx: click.Context, spec: str, out: str, check: bool) -> None:
    """Generate everything under --out from the spec.

    \b
    Example:
      jamdash generate
      jamdash generate --spec path/to/metrics_spec.yaml --out generated --check
    """
    with collector_paused(), dataclass_code.reused():
        # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
        # these load pydantic-core, Jinja2, grafanalib and promql_parser (start-up laziness, not a cycle).
        from jamdash.generate import generate_all
        from jamdash.generate.readme import is_jamdash_output
        from jamdash.pipeline import build

    with frozen_heap():
        result = build(spec)
        report(result.findings)
        if result.model is None:
            ctx.exit(1)
        model = result.model
        note(ctx, f"read {display_path(spec)}: {len(model.metrics)} metrics, {len(model.rules.alerts)} alerts, "
                  f"{len(model.dashboards.boards) if model.dashboards else 0} dashboards", verbose_only=True)
        files = generate_all(model)
    out_dir = Path(out)
    for path in files:
        note(ctx, f"  {display_path(str(out_dir / path))}", verbose_only=True)
    shown = display_path(str(out_dir))
    if check:
        if not out_dir.is_dir():
            click.echo(f"{shown} does not exist ({len(files)} files missing): run 'jamdash generate'", err=True)
            ctx.exit(1)
        try:
            drift = compare(files, out_dir)
        except OSError as exc:
            click.echo(f"error: cannot read {shown}: {exc.strerror or exc}", err=True)
            ctx.exit(1)
        if not drift.clean:
            click.echo(f"{shown} is out of date ({len(drift.stale)} stale, {len(drift.missing)} missing, "
                       f"{len(drift.extra)} extra): run 'jamdash generate'", err=True)
            _show_drift(drift, out_dir)
            ctx.exit(1)
        note(ctx, f"{shown} is up to date ({len(files)} files)")
        return
    try:
        ours = is_jamdash_output(out_dir)
    except OSError as exc:
        click.echo(f"error: cannot write {shown}: {exc.strerror or exc}; it was left as it was", err=True)
        ctx.exit(1)
    if not ours:
        click.echo(f"error: refusing to replace {shown}: it is not an empty folder written by jamdash "
                   f"(no {shown}/README.md with the jamdash header); choose another --out", err=True)
        ctx.exit(2)
    try:
        write_tree(files, out_dir)
    except OSError as exc:
        click.echo(f"error: cannot write {shown}: {exc.strerror or exc}; it was left as it was", err=True)
        ctx.exit(1)
    note(ctx, f"wrote {len(files)} files to {shown}")
