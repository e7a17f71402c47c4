"""Spec's validator, built by pydantic once per version of the spec types and then read from the user's cache."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core

from jamdash import cache as user_cache
from jamdash.spec import Spec

SOURCES = Path(__file__).parent  # jamdash/spec: everything Spec is made of


def digest(sources: Path) -> str:
    """A digest of what is built from the spec types (Spec's validator, its JSON Schema): the source of every
    module in sources and the versions of Python, pydantic and pydantic-core. Any edit gives a new digest."""
    hashed = hashlib.sha256()
    for part in (sys.version, pydantic.VERSION, pydantic_core.__version__):
        hashed.update(part.encode() + b"\0")
    for source in sorted(sources.glob("*.py")):
        hashed.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return hashed.hexdigest()


@cache
def key() -> str:
    """digest() of jamdash/spec/, computed once per run: the name of every cache entry built from it."""
    return digest(SOURCES)


@cache
def spec_validator() -> Callable[[Any], Spec]:
    """Spec.model_validate, with the validator read from the user's cache when this exact jamdash/spec/ and
    pydantic built it before.

    pydantic takes ~35 ms of a cold run to build Spec's validator from the ~40 types (and looks for its
    plugins in every installed package's metadata); pydantic-core remakes it from the pickled core schema
    in ~3 ms. The entry (the core schema and config, naming the spec types and their default factories) is
    in the user's own cache folder, trusted as Python trusts its .pyc files; a missing, damaged or stale
    entry is built again, and a cache that cannot be written only costs the build. Off where the cache is
    (PYTHONDONTWRITEBYTECODE), and nothing is stored where pydantic plugins wrap the validator: pydantic
    then validates as usual.
    """
    folder = user_cache.folder("validator", compiled=True)
    if folder is None:
        return Spec.model_validate
    entry = os.path.join(folder, key() + ".pickle")
    try:
        with open(entry, "rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, pydantic_core.SchemaValidator):
            validate: Callable[[Any], Spec] = cached.validate_python
            return validate
    except Exception:  # noqa: BLE001 - missing, truncated, or naming what no longer exists: built again
        pass
    Spec.model_rebuild()  # pydantic builds the validator here (nothing to do if it already has)
    built = Spec.__pydantic_validator__
    if isinstance(built, pydantic_core.SchemaValidator):
        user_cache.store(entry, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    return Spec.model_validate

