"""jamdash's user cache folder placed for a test: under a given $XDG_CACHE_HOME, bytecode caching on or off."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def use_cache(monkeypatch: pytest.MonkeyPatch, home: Path, *, bytecode: bool = True) -> None:
    """The caches under home/jamdash (not the test run's JAMDASH_CACHE_DIR); the compiled caches (schema,
    validator, Jinja, dataclass code) are off when bytecode is False, as under PYTHONDONTWRITEBYTECODE."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("JAMDASH_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", not bytecode)
