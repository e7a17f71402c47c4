"""Generator of generated/schema/metrics_spec.schema.json, for editors."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash.model import Model
from jamdash.spec.json_schema import json_schema

PATH = "schema/metrics_spec.schema.json"


def generate(model: Model) -> Iterator[tuple[str, str]]:
    yield PATH, json_schema()
