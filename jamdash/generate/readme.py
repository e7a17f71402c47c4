"""Generator of generated/README.md, which also marks the folder as jamdash's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jamdash.generate.header import header_text
from jamdash.model import Model

PATH = "README.md"
MARKER = "by jamdash — do not edit"


def is_jamdash_output(out: Path) -> bool:
    """True when out is missing, empty, or carries this README: safe to replace."""
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    readme = out / PATH
    if readme.is_file():
        return MARKER in readme.read_text(encoding="utf-8", errors="replace")
    return not any(out.iterdir())


def generate(model: Model) -> Iterator[tuple[str, str]]:
    yield PATH, (
        f"<!-- {header_text(model.spec_path)} -->\n"
        f"# {model.title}: generated from `{model.spec_path}`\n\n"
        f"Everything in this folder is written by `jamdash generate` for `service: {model.service}`; edit the\n"
        "spec and regenerate.\n"
        "`jamdash generate --check` fails when this folder is out of date.\n"
    )
