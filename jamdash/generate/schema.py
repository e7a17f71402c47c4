"""Generator of generated/schema/metrics_spec.schema.json, for editors (cached: pydantic builds it slowly)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pydantic_core

from jamdash import cache
from jamdash.model import Model
from jamdash.spec import json_schema

PATH = "schema/metrics_spec.schema.json"
SPEC_SOURCES = Path(json_schema.__code__.co_filename).parent  # jamdash/spec: everything the schema is made of


def generate(model: Model) -> Iterator[tuple[str, str]]:
    yield PATH, cached_json_schema()


def cache_key() -> str:
    """A digest of what json_schema() depends on: the spec types' source and the versions of Python,
    pydantic and pydantic-core. Any edit to jamdash/spec/ gives a new key."""
    digest = hashlib.sha256()
    for part in (sys.version, pydantic.VERSION, pydantic_core.__version__):
        digest.update(part.encode() + b"\0")
    for source in sorted(SPEC_SOURCES.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_json_schema() -> str:
    """json_schema(), read from the user's cache when this exact jamdash/spec/ and pydantic made it
    before (~50 ms saved on a cold run). A missing, unreadable or damaged entry is rebuilt; a cache
    that cannot be written only costs the build."""
    folder = cache.folder("schema", compiled=True)
    if folder is None:
        return json_schema()
    entry = os.path.join(folder, cache_key() + ".json")
    try:
        with open(entry, encoding="utf-8") as fh:
            text = fh.read()
        json.loads(text)
        if text.endswith("}\n"):
            return text
    except (OSError, ValueError):
        pass
    text = json_schema()
    partial = f"{entry}.{os.getpid()}.tmp"
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(partial, entry)
    except OSError:
        try:
            os.unlink(partial)
        except OSError:
            pass
    return text

