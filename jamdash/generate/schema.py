"""Generator of generated/schema/metrics_spec.schema.json, for editors (cached: pydantic builds it slowly)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from jamdash import cache
from jamdash.model import Model
from jamdash.spec import compiled, json_schema

PATH = "schema/metrics_spec.schema.json"


def generate(model: Model) -> Iterator[tuple[str, str]]:
    yield PATH, cached_json_schema()


def cached_json_schema() -> str:
    """json_schema(), read from the user's cache when this exact jamdash/spec/ and pydantic made it
    before (~50 ms saved on a cold run). A missing, unreadable or damaged entry is rebuilt; a cache
    that cannot be written only costs the build."""
    folder = cache.folder("schema", compiled=True)
    if folder is None:
        return json_schema()
    entry = os.path.join(folder, compiled.key() + ".json")
    try:
        with open(entry, encoding="utf-8") as fh:
            text = fh.read()
        json.loads(text)
        if text.endswith("}\n"):
            return text
    except (OSError, ValueError):
        pass
    text = json_schema()
    cache.store(entry, text.encode("utf-8"))
    return text

