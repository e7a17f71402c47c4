"""`jamdash generate`: spec in, generated/ out (or --check it)."""

from __future__ import annotations

from pathlib import Path

import click

from jamdash.commands.output import note, report

SPEC_OPTION = click.option(
    "--spec", default="metrics_spec.yaml", show_default=True,
    type=click.Path(exists=True, dir_okay=False), help="The spec to read.",
)
OUT_OPTION = click.option(
    "--out", default="generated", show_default=True, type=click.Path(file_okay=False),
    help="The folder jamdash owns and rewrites.",
)


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
    from jamdash.findings import display_path
    from jamdash.generate import generate_all
    from jamdash.generate.readme import is_jamdash_output
    from jamdash.pipeline import build
    from jamdash.write import compare, write_tree

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
        drift = compare(files, out_dir)
        kinds = {**{p: "stale" for p in drift.stale}, **{p: "missing" for p in drift.missing},
                 **{p: "extra" for p in drift.extra}}
        for path, diff in drift.diffs.items():
            click.echo(f"{kinds[path]}: {display_path(str(out_dir / path))}\n{diff}", err=True)
        if not drift.clean:
            click.echo(f"{shown} is out of date ({len(drift.stale)} stale, {len(drift.missing)} missing, "
                       f"{len(drift.extra)} extra): run 'jamdash generate'", err=True)
            ctx.exit(1)
        note(ctx, f"{shown} is up to date ({len(files)} files)")
        return
    if not is_jamdash_output(out_dir):
        click.echo(f"error: refusing to replace {shown}: it is not an empty folder written by jamdash "
                   f"(no {shown}/README.md with the jamdash header); choose another --out", err=True)
        ctx.exit(2)
    try:
        write_tree(files, out_dir)
    except OSError as exc:
        click.echo(f"error: cannot write {shown}: {exc.strerror or exc}; it was left as it was", err=True)
        ctx.exit(1)
    note(ctx, f"wrote {len(files)} files to {shown}")
