"""The resolved telemetry model: events, spans, status and health, with labels and metrics linked."""

from __future__ import annotations


from jamdash.model.metrics import Deprecation, Label, Metric
from jamdash.record import frozen


@frozen
class LabelSource:
    """Where a metric update takes one label's value: a constant, a call argument, or a fixed value."""

    label: Label
    origin: str  # "constant" | "argument" | "fixed"
    ref: str  # constant or argument name, or the fixed value


@frozen
class Condition:
    """An update applies when `argument` is (not) None, or is one of `values`."""

    argument: str
    present: bool
    values: tuple[str, ...]


@frozen
class MetricUpdate:
    """One paired-metric update made by an event helper or a span."""

    metric: Metric
    op: str
    labels: tuple[LabelSource, ...]
    value: tuple[str, ...]  # (argument,) or (argument, key) of a count mapping; () for none
    value_kind: str  # the kind of the value's field ("" when there is none)
    when: Condition | None


@frozen
class EventField:
    """One logged field: `name` in the JSON record, `argument` in the helper's signature."""

    name: str
    argument: str
    kind: str
    help: str
    optional: bool
    label: Label | None
    values: tuple[str, ...]
    keys: tuple[str, ...]
    constant: bool
    deprecated: Deprecation | None = None


@frozen
class EventParam:
    """A helper argument that only feeds metric labels; never logged."""

    name: str
    help: str
    optional: bool
    label: Label


@frozen
class Event:
    name: str
    help: str
    level: str
    fields: tuple[EventField, ...]
    params: tuple[EventParam, ...]
    updates: tuple[MetricUpdate, ...]
    deprecated: Deprecation | None = None


@frozen
class SpanAttribute:
    """A span attribute: `key` on the OpenTelemetry span, `name` as the helper's argument."""

    name: str
    key: str
    kind: str
    help: str
    label: Label | None
    values: tuple[str, ...]
    fixed: str | None
    constant: bool


@frozen
class Span:
    name: str  # the OpenTelemetry span name
    short: str  # the helper method's name
    help: str
    attributes: tuple[SpanAttribute, ...]
    updates: tuple[MetricUpdate, ...]
    children: tuple[Span, ...]


@frozen
class StatusField:
    name: str
    type: str
    help: str
    label: Label | None
    metric: Metric | None


@frozen
class Health:
    cleanup_event: str
    cleanup_interval: str
    cleanup_interval_seconds: float
    cleanup_grace: str
    cleanup_grace_seconds: float


@frozen
class Telemetry:
    """Everything the telemetry generator needs, with no reference back to the raw spec."""

    logger: str
    hash_key_env: str
    hash_length: int
    tracing_env: str
    identifier_max: int
    error_text_max: int
    constants: tuple[Label, ...]
    events: tuple[Event, ...]
    spans: tuple[Span, ...]
    status: tuple[StatusField, ...]
    health: Health | None
