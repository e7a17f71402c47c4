"""Input types for the spec's telemetry sections: log events, spans, the status block and health."""

from typing import Literal

from jamdash.spec.common import Deprecation, Duration, Field, SpecModel

FieldKind = Literal["identifier", "secret", "count", "size", "duration_ms", "timestamp", "enum", "error_text"]
AttributeKind = Literal["identifier", "count", "size", "enum"]
MetricOp = Literal["inc", "dec", "set", "observe", "set_to_current_time"]
SpanOp = Literal["inc", "observe"]
StatusType = Literal["bool", "int", "enum"]


class FieldSpec(SpecModel):
    """One logged field of an event."""

    kind: FieldKind = Field(description=(
        "identifier, secret (logged as a keyed hash), count, size (bytes in, length out), duration_ms, "
        "timestamp, enum or error_text (length-capped, escaped)."))
    help: str = Field(default="", description="What the field holds.")
    label: str | None = Field(default=None, description="The metric label whose values this field takes.")
    values: list[str] | None = Field(default=None, description="Enum fields: the allowed values (default: the label's).")
    keys: list[str] | None = Field(default=None, description="Count fields: log a mapping of these keys to counts.")
    optional: bool = Field(default=False, description="The field may be null (the helper's argument defaults to None).")
    deprecated: Deprecation | None = Field(default=None, description=(
        "Set when the field is on its way out: log consumers should stop reading it; `jamdash diff` accepts its "
        "removal once the base has it deprecated."))


class ParamSpec(SpecModel):
    """An input that only feeds the paired metrics' labels; it is not logged."""

    label: str = Field(description="The metric label this input is a value of.")
    help: str = Field(default="", description="What the input is.")
    optional: bool = Field(default=False, description="The input may be None (it then folds into the label's overflow).")


class ConditionSpec(SpecModel):
    """When a metric update applies: a field is present (not null), absent, or one of some values."""

    field: str = Field(description="The event field tested.")
    present: bool = Field(default=True, description="true: the update applies when the field is not null; false: when null.")
    values: list[str] | None = Field(default=None, description="Enum fields: the update applies for these values only.")


class MetricUpdateSpec(SpecModel):
    """An event's paired metric: the update the helper makes on every call (or when `when` holds)."""

    metric: str = Field(description="The declared metric updated.")
    op: MetricOp = Field(description="inc, dec, set, observe or set_to_current_time; it must fit the metric type.")
    value: str | None = Field(default=None, description="The field (or field.key of a count mapping) giving the amount.")
    when: ConditionSpec | None = Field(default=None, description="Make the update conditional on a field.")
    labels: dict[str, str] = Field(default_factory=dict,
                                   description="Label key to the field or param giving its value, when not implied.")


class EventSpec(SpecModel):
    """A structured log event: exactly these fields, one JSON record per call."""

    help: str = Field(min_length=1, description="When the event is emitted, in one sentence.")
    level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="The log level; an event whose optional error_text field is set logs at warning.")
    fields: dict[str, FieldSpec] = Field(description="Exactly the fields of the JSON record, in order.")
    params: dict[str, ParamSpec] = Field(default_factory=dict,
                                         description="Helper inputs that only feed metric labels; never logged.")
    metrics: list[MetricUpdateSpec] = Field(default_factory=list,
                                            description="The paired metric updates the helper makes on each call.")
    deprecated: Deprecation | None = Field(default=None, description=(
        "Set when the event is on its way out: log consumers should stop reading it; `jamdash diff` accepts its "
        "removal once the base has it deprecated."))


class AttributeSpec(SpecModel):
    """A span attribute, set when the span starts."""

    kind: AttributeKind = Field(default="identifier", description="identifier, count, size or enum.")
    help: str = Field(default="", description="What the attribute holds.")
    label: str | None = Field(default=None, description="The metric label whose values it takes.")
    value: str | None = Field(default=None, description="A fixed value (child spans of one stage).")


class SpanMetricSpec(SpecModel):
    """A span's paired metric: inc on a successful exit, or observe the span's duration in seconds."""

    metric: str = Field(description="The declared metric updated.")
    op: SpanOp = Field(description="inc (a counter, on a successful exit) or observe (a seconds histogram).")


class ChildSpanSpec(SpecModel):
    """A child span, started only from its parent."""

    help: str = Field(min_length=1, description="What the span covers, in one sentence.")
    attributes: dict[str, AttributeSpec] = Field(default_factory=dict,
                                                 description="Attributes set at the start, by argument name.")
    metrics: list[SpanMetricSpec] = Field(default_factory=list,
                                          description="Paired metrics, updated whether tracing is on or off.")


class SpanSpec(ChildSpanSpec):
    """An OpenTelemetry span, off unless tracing is switched on."""

    children: dict[str, ChildSpanSpec] = Field(default_factory=dict,
                                               description="Child spans by short name, started from the parent.")


class StatusFieldSpec(SpecModel):
    """One field of the service's /system/status block, read from the host's configuration."""

    type: StatusType = Field(description="bool, int or enum.")
    help: str = Field(min_length=1, description="What the field says, in one sentence.")
    label: str | None = Field(default=None, description="Enum fields: the label whose values it takes.")
    metric: str | None = Field(default=None, description="A gauge set to this value at start-up.")


class HealthSpec(SpecModel):
    """The /<service>/healthz checks."""

    cleanup_event: str = Field(description="The event a cleanup runner emits after each successful run.")
    cleanup_interval: Duration = Field(description="How often the cleanup runner runs.")
    cleanup_grace: Duration = Field(default="0s", description="Slack past the interval before cleanup counts as stale.")


class TelemetrySpec(SpecModel):
    """The telemetry section: how the runtime logs, hashes and traces, and what it declares."""

    logger: str | None = Field(default=None, min_length=1, description="The stdlib logger events are emitted on; "
                                                               "default: the service name.")
    hash_key_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]*$", description=(
        "Environment variable holding the HMAC key for secret fields; default: <SERVICE>_LOG_HASH_KEY."))
    hash_length: int = Field(default=16, ge=8, le=64, description="Hex characters of the HMAC-SHA256 digest kept.")
    tracing_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]*$", description=(
        "Environment variable that switches spans on (1, true, yes, on); default: <SERVICE>_TRACING."))
    identifier_max: int = Field(default=128, ge=8, description="Longest identifier logged; longer ones are cut.")
    error_text_max: int = Field(default=512, ge=16, description="Longest error text logged; longer text is cut.")
    constants: list[str] = Field(default_factory=list, description=(
        "Label keys fixed per process (read from the status configuration at start-up), "
        "so event and span helpers do not take them per call."))
    events: dict[str, EventSpec] = Field(default_factory=dict, description="Structured log events.")
    spans: dict[str, SpanSpec] = Field(default_factory=dict, description="OpenTelemetry spans, by full name.")
    status: dict[str, StatusFieldSpec] = Field(default_factory=dict, description="The service's /system/status block.")
    health: HealthSpec | None = Field(default=None, description="The /<service>/healthz checks.")

