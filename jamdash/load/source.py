"""A YAML document read into plain data, with the position of every node kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jamdash.findings import NOWHERE, Position

Path = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of the values and mapping keys of one document, by their path."""

    path: str
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def value(self, path: Path) -> Position:
        """The position of the value at path, or of its nearest recorded ancestor."""
        return self._nearest(self.values, path)

    def key(self, path: Path) -> Position:
        """The position of the mapping key that names path (its value's if none)."""
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    @staticmethod
    def _nearest(table: dict[Path, Position], path: Path) -> Position:
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return table.get((), NOWHERE)


@dataclass
class Document:
    """The plain data of a spec file and where each part of it stands."""

    data: Any
    source: SourceMap
    # Paths of entries left out of the Spec because their shape was wrong (see jamdash/spec/shape.py).
    dropped: frozenset[Path] = frozenset()
