"""jamdash.commands.dataclass_code: dataclasses' generated methods compiled once, then read from the cache."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

from jamdash.commands import dataclass_code

SOURCE = '''
import dataclasses

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
'''


def _declare() -> type:
    namespace: dict[str, object] = {"__name__": __name__}
    exec(SOURCE, namespace)  # noqa: S102 - a class declared anew each time, as an import declares it
    point = namespace["Point"]
    assert isinstance(point, type)
    return point


@pytest.fixture()
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JAMDASH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # the test session may run with it set
    return tmp_path / "dataclass" / dataclass_code.ENTRY


def _check(point: type) -> None:
    p = point(1)
    assert (p.x, p.y, p.tags) == (1, 0, ())
    assert repr(p) == "Point(x=1, y=0, tags=())"
    assert p == point(1) and hash(p) == hash(point(1)) and p != point(2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3


def test_methods_compiled_in_one_run_are_read_back_in_the_next(cache_on: Path) -> None:
    with dataclass_code.reused():
        _check(_declare())
    assert "exec" not in vars(dataclasses)  # the builtin again once the block ends
    first = cache_on.read_bytes()
    assert b"__create_fn__" in first
    os.utime(cache_on, ns=(0, 0))  # dated far back: an entry written again would show now's time
    with dataclass_code.reused():
        _check(_declare())
    assert cache_on.stat().st_mtime_ns == 0 and cache_on.read_bytes() == first  # nothing new to store


def test_a_damaged_entry_is_compiled_again(cache_on: Path) -> None:
    cache_on.parent.mkdir(parents=True)
    cache_on.write_bytes(b"not marshal data")
    with dataclass_code.reused():
        _check(_declare())
    assert b"__create_fn__" in cache_on.read_bytes()


def test_off_without_bytecode_caching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAMDASH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    with dataclass_code.reused():
        assert "exec" not in vars(dataclasses)
        _check(_declare())
    assert not (tmp_path / "dataclass").exists()
