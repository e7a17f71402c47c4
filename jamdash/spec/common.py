"""Shared pieces of the spec's input types: the strict base model and durations."""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

DURATION_PATTERN = r"^([0-9]+(ms|s|m|h|d|w|y))+$"
Duration = Annotated[str, Field(pattern=DURATION_PATTERN, description="A Prometheus duration such as 30s, 5m or 1h30m.")]
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
NOT_BLANK_PATTERN = r"\S"
# Free text that must say something: not empty, not only spaces.
Text = Annotated[str, Field(min_length=1, pattern=NOT_BLANK_PATTERN)]

_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def duration_seconds(text: str) -> float:
    """Seconds in a Prometheus duration string (already checked against DURATION_PATTERN)."""
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", text))


class SpecModel(BaseModel):
    """Base of every spec input type: unknown fields are errors, no silent coercion.

    defer_build: the ~40 types build one validator, Spec's, when a spec is first validated, instead of
    one each at import (~20 ms of a cold `jamdash generate`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


_UNIT_MS = (("y", 31536000000), ("w", 604800000), ("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000),
            ("ms", 1))


def duration_ms(text: str) -> int:
    """Milliseconds in a Prometheus duration string (already checked against DURATION_PATTERN)."""
    units = dict(_UNIT_MS)
    return sum(int(n) * units[u] for n, u in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", text))


def format_duration(ms: int) -> str:
    """Milliseconds as Prometheus writes a duration: 1h, 5m, 1h30m, 4s500ms; weeks and years as days."""
    if ms <= 0:
        return "0s"
    parts = []
    for unit, size in _UNIT_MS:
        if unit in ("y", "w"):
            continue
        count, ms = divmod(ms, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
