"""The Jinja2 environment every template-based generator renders with."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from jamdash.cache import folder as cache_folder

WIDTH = 99

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
        bytecode_cache=bytecode_cache(),
    )
    env.filters["pyrepr"] = py_string
    return env


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Never fails a run: an entry that cannot be read or written is simply compiled again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder, so a cold `jamdash generate` skips
    Jinja's compiler (~50 ms on the two runtime templates); entries are keyed by the template's source, so
    an edited template is compiled again. None where caches must not be written."""
    folder = cache_folder("jinja", compiled=True)
    return None if folder is None else _QuietBytecodeCache(folder)


def py_string(value: object) -> str:
    """A Python literal, in double quotes unless the text holds some, as a hand-written module has it."""
    literal = repr(value)
    if isinstance(value, str) and literal.startswith("'") and '"' not in value:
        return '"' + literal[1:-1] + '"'
    return literal


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def py_tuple(items: list[str]) -> str:
    """A tuple display of already-rendered items: ("a",) or ("a", "b")."""
    return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"


def py_string_wrapped(value: str, indent: int, width: int = WIDTH) -> str:
    """A string literal that fits in width once indented and followed by a comma:
    one literal if it fits, else implicitly concatenated literals, one per line."""
    if indent + len(py_string(value)) + 1 <= width:
        return py_string(value)
    room = width - indent - 2
    parts: list[str] = []
    for word in value.split(" "):
        if parts and len(py_string(parts[-1] + " " + word)) <= room:
            parts[-1] += " " + word
        else:
            parts.append(word)
    literals = [py_string(part + " ") for part in parts[:-1]] + [py_string(parts[-1])]
    return ("\n" + " " * indent).join(literals)


def wrapped(opening: str, items: list[str], closing: str, indent: int, width: int = WIDTH) -> str:
    """opening + items + closing on one line if it fits, else one item per line."""
    flat = opening + ", ".join(items) + closing
    if indent + len(flat) <= width:
        return flat
    return opening + "\n" + "".join(f"    {item},\n" for item in items) + closing
