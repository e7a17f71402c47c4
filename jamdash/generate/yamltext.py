"""YAML output as people write it: fields in a fixed order, long strings unfolded, block scalars for text."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Keeps insertion order; writes multi-line strings as | blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

_CSafeDumper: type[yaml.SafeDumper] | None = getattr(yaml, "CSafeDumper", None)
if _CSafeDumper is not None:
    class _CDumper(_CSafeDumper):  # type: ignore[valid-type,misc]
        """_Dumper's representers in front of libyaml's emitter: 5-6x faster on the rule files."""

    _CDumper.add_representer(str, _str)
    _FAST: type[yaml.SafeDumper] | None = _CDumper
else:
    _FAST = None

_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 10_000, "default_flow_style": False}
# Where libyaml's emitter writes other bytes than PyYAML's: characters outside the BMP or not printable
# (tabs, \r, \x85, \u2028/9, BOM), which it escapes; `|+` blocks (text ending in a blank line),
# after which it adds '...'; empty keys; long keys, which it measures in bytes, not characters; and lines
# longer than the width, which it folds a column apart (kept out by bounding text, keys and depth).
_MAX_TEXT = 2000  # escaped at most 2x: with a key and indentation, far below the width of 10,000
_MAX_KEY = 100
_MAX_DEPTH = 100


def _same_in_libyaml(data: Any, depth: int = 0) -> bool:
    """True when libyaml's emitter writes data byte for byte as PyYAML's does (tests/test_yamltext.py)."""
    if isinstance(data, str):  # printable: no tab, \r, \x85, \u2028/9, BOM, lone surrogate or odd space
        return (len(data) <= _MAX_TEXT and (data.isprintable() or data.replace("\n", "").isprintable())
                and (data.isascii() or max(data) <= "\uffff") and not data.endswith("\n\n") and data != "\n")
    if depth >= _MAX_DEPTH:
        return False
    if isinstance(data, dict):
        return all(type(key) is str and 0 < len(key) <= _MAX_KEY and key.isascii() and key.isprintable()
                   and _same_in_libyaml(value, depth + 1) for key, value in data.items())
    if isinstance(data, list):
        return all(_same_in_libyaml(item, depth + 1) for item in data)
    return data is None or type(data) in (bool, int, float)


def dump(data: Any, *, fast: bool = True) -> str:
    """data as YAML; through libyaml when present and known to write the same bytes, else PyYAML."""
    dumper = _FAST if fast and _FAST is not None and _same_in_libyaml(data) else _Dumper
    return str(yaml.dump(data, Dumper=dumper, **_OPTIONS))
