"""The code of the methods dataclasses generates, compiled once and kept, as .pyc files keep modules'."""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType
from typing import Any

from jamdash import cache

ENTRY = f"{sys.implementation.cache_tag}-{sys.version.split()[0]}-{marshal.version}.marshal"


def _read(entry: str) -> dict[str, CodeType]:
    try:
        with open(entry, "rb") as fh:
            codes = marshal.loads(fh.read())
    except Exception:  # noqa: BLE001 - missing or damaged: compiled again
        return {}
    if not isinstance(codes, dict) or not all(type(k) is str and type(v) is CodeType for k, v in codes.items()):
        return {}
    return codes


@contextmanager
def reused() -> Iterator[None]:
    """While it lasts, dataclasses' generated methods are compiled from the user's cache.

    Python 3.11's dataclass() writes each method it adds (__init__, __repr__, __eq__, ...) as source text
    and compiles it, on every run: ~135 of them, ~0.15 ms each, on a cold `jamdash generate` (the `__init__`
    of every @frozen record, the spec types' included, and the methods of its dependencies' dataclasses). Here the `exec` that dataclasses calls (the module's own
    name, shadowing the builtin) finds the code compiled from the same text in an earlier run, in one
    marshal file per Python build, and compiles only what is new (with no inherited __future__ flags, as
    dataclasses' exec has none). Off where the cache is (PYTHONDONTWRITEBYTECODE). The file keeps the
    texts of earlier runs too (lint's and generate's), but no more than twice this run's.
    """
    folder = cache.folder("dataclass", compiled=True)
    if folder is None or "exec" in vars(dataclasses):
        yield
        return
    entry = os.path.join(folder, ENTRY)
    known = _read(entry)
    used: dict[str, CodeType] = {}
    compiled = 0

    def cached_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
        nonlocal compiled
        if type(source) is str:
            code = known.get(source)
            if code is None:
                code = compile(source, "<string>", "exec", dont_inherit=True)
                compiled += 1
            used[source] = code
            source = code
        builtins.exec(source, globals, locals)

    setattr(dataclasses, "exec", cached_exec)
    try:
        yield
    finally:
        delattr(dataclasses, "exec")
        if compiled:
            kept = {**known, **used}  # what other commands use too, until it is mostly stale
            cache.store(entry, marshal.dumps(kept if len(kept) <= 2 * len(used) else used))
