"""Input types for the spec's labels and metrics sections."""

from typing import Literal

from jamdash.spec.common import Deprecation, Field, SpecModel, Text
from jamdash.spec.fleet import Replicas

MetricType = Literal["counter", "gauge", "histogram"]
MultiprocessMode = Literal[
    "all", "liveall", "min", "livemin", "max", "livemax", "sum", "livesum", "mostrecent", "livemostrecent"
]


class LabelSpec(SpecModel):
    """A label, declared once under `labels` and referenced by its key from metrics."""

    name: str | None = Field(default=None, description="The label name on the series; defaults to the key.")
    help: str = Field(default="", description="What the label means; shown in docs and dashboards.")
    values: list[str] | None = Field(default=None, description="The closed list of allowed values.")
    max_values: int | None = Field(
        default=None, ge=1, description="For dynamic labels: how many distinct values are kept before folding."
    )
    max_length: int = Field(
        default=128, ge=1, description="For dynamic labels: the longest value kept, in characters; longer ones fold."
    )
    overflow: str = Field(
        default="other", min_length=1,
        description="The value that unknown values, or values past max_values or max_length, fold into.",
    )


class Waiver(SpecModel):
    """Turns one lint rule off for one metric, with the reason why."""

    rule: str = Field(description="The id of the waived lint rule.")
    reason: Text = Field(description="Why the rule does not apply to this metric.")


class MetricDeprecation(Deprecation):
    """Marks a metric as on its way out, and names the metric that replaces it, if one does."""

    renamed_to: str | None = Field(default=None, description="The declared metric that replaces this one.")


class MetricSpec(SpecModel):
    """One metric: its type, help, unit, labels and, for histograms, buckets."""

    type: MetricType = Field(description="counter, gauge or histogram.")
    help: str = Field(default="", description="One sentence on what is counted or measured.")
    unit: str = Field(default="", description="The base unit (seconds, bytes, ...) the name ends with, if any.")
    labels: list[str] = Field(default_factory=list, description="Keys of declared labels, in series order.")
    buckets: list[float] | None = Field(
        default=None, description="Histograms only: bucket upper bounds, finite and strictly increasing (+Inf is implied)."
    )
    multiprocess_mode: MultiprocessMode | None = Field(
        default=None, description="Gauges only: how prometheus_client's multiprocess mode merges processes."
    )
    replicas: Replicas = Field(
        default="per_process", description="Counters and gauges: how the replicas of one deployment combine. per_process "
                                   "(each counts its own work): sum; shared (each reports the same shared value, "
                                   "such as a count read from a shared database or a configured limit): max.")
    waivers: list[Waiver] = Field(default_factory=list, description="Lint rules turned off for this metric.")
    deprecated: MetricDeprecation | None = Field(default=None, description="Set when the metric is on its way out.")
