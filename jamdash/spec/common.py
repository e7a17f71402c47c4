"""Shared pieces of the spec's input types: the record base, field declarations and durations."""

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Annotated, Any, dataclass_transform

from jamdash.record import frozen


@dataclasses.dataclass(frozen=True)
class Declared:
    """What a spec field (or an `Annotated` type) declares beyond its type: its description, its name in the
    YAML when that is not a Python name (`for`), and pydantic-core's constraints of the same names."""

    description: str | None = None
    yaml_name: str | None = None
    pattern: str | None = None
    min_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def constraints(self) -> dict[str, Any]:
        """The constraints that are set, by pydantic-core's names."""
        names = ("pattern", "min_length", "ge", "gt", "le", "lt")
        return {name: value for name in names if (value := getattr(self, name)) is not None}

    def under(self, field: "Declared") -> "Declared":
        """These (an `Annotated` type's) constraints with a field's own on top, as pydantic merges them."""
        return Declared(**{**self.constraints(), **field.constraints()})


@dataclasses.dataclass(frozen=True)
class Before:
    """`Annotated[T, Before(f)]`: f turns the YAML value into a T before it is checked (as pydantic's
    BeforeValidator)."""

    function: Callable[[Any], Any]


def Field(default: Any = dataclasses.MISSING, *,  # noqa: N802 - named and called as pydantic's Field
          default_factory: Any = dataclasses.MISSING,
          description: str | None = None, yaml_name: str | None = None, pattern: str | None = None,
          min_length: int | None = None, ge: float | None = None, gt: float | None = None, le: float | None = None,
          lt: float | None = None) -> Any:
    """A spec field: its default (none: required), description and constraints, read by spec/fields.py."""
    declared = Declared(description=description, yaml_name=yaml_name, pattern=pattern, min_length=min_length,
                        ge=ge, gt=gt, le=le, lt=lt)
    return dataclasses.field(default=default, default_factory=default_factory, metadata={"spec": declared})


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class SpecModel:
    """Base of every spec input type: a frozen record with keyword-only fields (record.frozen).

    Plain classes, not pydantic models: spec/validator.py builds pydantic-core's validator from their fields
    (unknown fields are errors, no silent coercion), so a run never imports pydantic's model machinery.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        frozen(cls, kw_only=True)


DURATION_PATTERN = r"^([0-9]+(ms|s|m|h|d|w|y))+$"
Duration = Annotated[str, Declared(pattern=DURATION_PATTERN,
                                   description="A Prometheus duration such as 30s, 5m or 1h30m.")]
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
NOT_BLANK_PATTERN = r"\S"
# Free text that must say something: not empty, not only spaces.
Text = Annotated[str, Declared(min_length=1, pattern=NOT_BLANK_PATTERN)]


def _iso_date(value: Any) -> Any:
    """Accept a quoted 'YYYY-MM-DD' as well as YAML's unquoted date."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid date; write it as YYYY-MM-DD") from None
    return value


Date = Annotated[datetime.date, Before(_iso_date)]


class Deprecation(SpecModel):
    """Marks a metric, dashboard, log event or event field as on its way out, so that removing it is safe."""

    reason: Text = Field(description="Why it is deprecated and what to use instead.")
    until: Date | None = Field(default=None, description="End of the transition, as a date (YYYY-MM-DD).")

_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def duration_seconds(text: str) -> float:
    """Seconds in a Prometheus duration string (already checked against DURATION_PATTERN)."""
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", text))


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
