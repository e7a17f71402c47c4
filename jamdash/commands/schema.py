"""`jamdash schema`: print the spec's JSON Schema."""

from __future__ import annotations

import click


@click.command("schema")
def command() -> None:
    """Print the JSON Schema of metrics_spec.yaml, for editors.

    \b
    Example:
      jamdash schema > metrics_spec.schema.json
    The repository's spec points yaml-language-server at
    generated/schema/metrics_spec.schema.json, which generate writes.
    """
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load the spec types (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.spec.json_schema import json_schema

    click.echo(json_schema(), nl=False)
