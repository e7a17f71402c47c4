"""The Jinja2 environment every template-based generator renders with."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = py_string
    return env


def py_string(value: object) -> str:
    """A Python literal in double quotes, as a hand-written module would have it."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return repr(value)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def py_tuple(items: list[str]) -> str:
    """A tuple display of already-rendered items: ("a",) or ("a", "b")."""
    return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"


def wrapped(opening: str, items: list[str], closing: str, indent: int, width: int = 99) -> str:
    """opening + items + closing on one line if it fits, else one item per line."""
    flat = opening + ", ".join(items) + closing
    if indent + len(flat) <= width:
        return flat
    return opening + "\n" + "".join(f"    {item},\n" for item in items) + closing
