"""Input types for the spec's labels and metrics sections."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from jamdash.spec.common import SpecModel

MetricType = Literal["counter", "gauge", "histogram"]
MultiprocessMode = Literal[
    "all", "liveall", "min", "livemin", "max", "livemax", "sum", "livesum", "mostrecent", "livemostrecent"
]


class LabelSpec(SpecModel):
    """A label, declared once and referenced by its key from metrics."""

    name: str | None = Field(None, description="The label name on the series; defaults to the key.")
    help: str = Field("", description="What the label means.")
    values: list[str] | None = Field(None, description="The closed list of allowed values.")
    max_values: int | None = Field(
        None, ge=1, description="For dynamic labels: how many distinct values are kept before folding."
    )
    overflow: str = Field("other", min_length=1, description="The value unknown or excess values fold into.")


class Waiver(SpecModel):
    """Turns one lint rule off for one metric, with the reason why."""

    rule: str = Field(description="The id of the waived lint rule.")
    reason: str = Field(min_length=1, description="Why the rule does not apply.")


class Deprecation(SpecModel):
    """Marks a metric as on its way out."""

    reason: str = Field(min_length=1)
    renamed_to: str | None = Field(None, description="The metric that replaces this one.")
    until: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="End of the transition (YYYY-MM-DD).")


class MetricSpec(SpecModel):
    """One metric: its type, help, unit, labels and, for histograms, buckets."""

    type: MetricType
    help: str = Field("", description="One sentence on what is counted or measured.")
    unit: str = Field("", description="The base unit (seconds, bytes, ...) the name ends with, if any.")
    labels: list[str] = Field(default_factory=list, description="Keys of declared labels.")
    buckets: list[float] | None = Field(None, description="Histogram bucket upper bounds, strictly increasing.")
    multiprocess_mode: MultiprocessMode | None = Field(
        None, description="Gauges only: how prometheus_client's multiprocess mode merges processes."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    deprecated: Deprecation | None = None
