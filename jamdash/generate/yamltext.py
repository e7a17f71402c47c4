"""YAML output as people write it: fields in a fixed order, long strings unfolded, block scalars for text."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Keeps insertion order; writes multi-line strings as | blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

# libyaml's emitter, behind _node in place of the representer: ~10x faster on the rule files than PyYAML.
_FAST: type[yaml.SafeDumper] | None = getattr(yaml, "CSafeDumper", None)

_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 10_000, "default_flow_style": False}
# Where libyaml's emitter writes other bytes than PyYAML's: characters outside the BMP or not printable
# (tabs, \r, \x85, \u2028/9, BOM), which it escapes; `|+` blocks (text ending in a blank line),
# after which it adds '...'; empty keys; long keys, which it measures in bytes, not characters; and lines
# longer than the width, which it folds a column apart (kept out by bounding text, keys and depth).
_MAX_TEXT = 2000  # escaped at most 2x: with a key and indentation, far below the width of 10,000
_MAX_KEY = 100
_MAX_DEPTH = 100
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _text_ok(text: str) -> bool:
    """Printable (no tab, \\r, \\x85, \\u2028/9, BOM, lone surrogate or odd space), in the BMP, bounded,
    and not a `|+` block."""
    return (len(text) <= _MAX_TEXT and (text.isprintable() or text.replace("\n", "").isprintable())
            and (text.isascii() or max(text) <= "\uffff") and not text.endswith("\n\n") and text != "\n")


def _node(data: Any, seen: set[int], depth: int, scalar: Callable[[Any], yaml.Node]) -> yaml.Node | None:
    """The node PyYAML's representer (with _str) makes of data, or None when data holds anything
    libyaml would write differently, or a list or mapping twice (PyYAML gives those anchors)."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data, style="|" if "\n" in data else None) if _text_ok(data) else None
    if kind is dict or kind is list:
        if depth >= _MAX_DEPTH or id(data) in seen:
            return None
        seen.add(id(data))
        if kind is list:
            items = [_node(item, seen, depth + 1, scalar) for item in data]
            return None if None in items else yaml.SequenceNode(_SEQ, items, flow_style=False)
        pairs = []
        for key, value in data.items():
            if type(key) is not str or not (0 < len(key) <= _MAX_KEY and key.isascii() and key.isprintable()):
                return None
            value_node = _node(value, seen, depth + 1, scalar)
            if value_node is None:
                return None
            pairs.append((yaml.ScalarNode(_STR, key, style=None), value_node))
        return yaml.MappingNode(_MAP, pairs, flow_style=False)
    return scalar(data) if data is None or kind is bool or kind is int or kind is float else None


def _fast_dump(data: Any) -> str | None:
    """data written by libyaml's emitter, or None where that would not be PyYAML's bytes."""
    if _FAST is None:
        return None
    stream = io.StringIO()
    dumper = _FAST(stream, **_OPTIONS)
    try:
        node = _node(data, set(), 0, dumper.represent_data)
        if node is None:
            return None
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def dump(data: Any, *, fast: bool = True) -> str:
    """data as YAML; through libyaml when present and known to write the same bytes, else PyYAML."""
    text = _fast_dump(data) if fast else None
    return text if text is not None else str(yaml.dump(data, Dumper=_Dumper, **_OPTIONS))
