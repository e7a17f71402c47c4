"""The user's cache folder for jamdash (~/.cache/jamdash/<name>), and the switch that turns caching off."""

from __future__ import annotations

import os
import sys

NO_CACHE_ENV = "JAMDASH_NO_CACHE"  # set (to anything but "" or "0") in CI: every check runs
CACHE_DIR_ENV = "JAMDASH_CACHE_DIR"  # another folder instead of ~/.cache/jamdash (the test suite's own)


def results_off() -> bool:
    """True where no remembered check result may be used: JAMDASH_NO_CACHE is set (`jamdash lint
    --no-cache`, CI's `make check`)."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def folder(name: str, *, compiled: bool = False) -> str | None:
    """~/.cache/jamdash/<name> (or under $XDG_CACHE_HOME, or $JAMDASH_CACHE_DIR/<name>), created; None
    where that cache is off or the folder is unusable.

    Two kinds: results of checks (promtool passes), off under JAMDASH_NO_CACHE; and compiled=True,
    things built from source and keyed by it (Jinja bytecode, the JSON Schema), which cannot change
    an outcome, off under PYTHONDONTWRITEBYTECODE like Python's own .pyc files."""
    if sys.dont_write_bytecode if compiled else results_off():
        return None
    home = os.path.expanduser("~")
    base = os.environ.get("XDG_CACHE_HOME") or (None if home == "~" else os.path.join(home, ".cache"))
    own = os.environ.get(CACHE_DIR_ENV) or (None if base is None else os.path.join(base, "jamdash"))
    if own is None:
        return None
    path = os.path.join(own, name)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return path


def store(entry: str, data: bytes) -> None:
    """Write a cache entry whole or not at all (a temporary file renamed into place); a cache that cannot be
    written is left as it is, costing only the next run's rebuild."""
    partial = f"{entry}.{os.getpid()}.tmp"
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
        os.replace(partial, entry)
    except OSError:
        try:
            os.unlink(partial)
        except OSError:
            pass
