"""The jamdash command line: a thin group whose commands load only when they run."""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any

import click

from jamdash import __version__

# command name -> module holding a click command called `command`
COMMANDS = {
    "demo": "jamdash.service.command",  # the reference service, apart from the generator
    "generate": "jamdash.commands.generate",
    "lint": "jamdash.commands.lint",
    "check": "jamdash.commands.check",
    "diff": "jamdash.commands.diff",
    "schema": "jamdash.commands.schema",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command is used, so --help stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(module).command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="jamdash")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print what each step does.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Observability as code: one spec per service, everything else generated from it.

    One spec (metrics_spec.yaml) generates the metrics module, Prometheus rules,
    Grafana dashboards, the logging/tracing runtime and docs under generated/.

    \b
    Example:
      jamdash generate            # write generated/ from metrics_spec.yaml
      jamdash generate --check    # exit 1 if generated/ is stale

    Exit codes: 0 ok, 1 findings or drift, 2 usage error or missing tool.
    """
    ctx.obj = {"quiet": quiet, "verbose": verbose and not quiet}


def main(argv: list[str] | None = None) -> Any:
    """The console script: run one command, then exit."""
    try:
        return cli.main(args=argv, prog_name="jamdash")
    finally:
        # The process ends here. Frozen, the heap is left out of the collections Python runs while
        # shutting down (each a walk over every object jamdash and its libraries made; ~50 ms of a
        # cold generate); objects are still freed one by one, and stdout/stderr flushed.
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
