"""Input types for alert intents: what an alert watches, from which PromQL is built."""

from typing import Literal

from jamdash.spec.common import Duration, Field, SpecModel


class SelectorSpec(SpecModel):
    """A metric narrowed to some label values."""

    metric: str = Field(description="A declared metric.")
    match: dict[str, str] = Field(default_factory=dict, description="Label key -> required value.")


Selector = str | SelectorSpec
_BY = "Label keys to aggregate per, besides job (one alert per combination)."


class RatioPair(SpecModel):
    """Two counters whose ratio is taken: failed events over all events."""

    errors: Selector = Field(description="Counter of failed events.")
    total: Selector = Field(description="Counter of all events.")


class RatioIntent(RatioPair):
    """errors / total over a window, above a ratio, guarded by a minimum total rate."""

    by: list[str] = Field(default_factory=list, description=_BY)
    window: Duration = Field(description="The rate window of both counters, e.g. 5m.")
    above: float = Field(gt=0, lt=1, description="The ratio (0..1) above which the alert fires.")
    min_total_rate: float = Field(gt=0, description="Per-second rate of total below which it never fires.")


class RateIntent(SpecModel):
    """A counter's per-second rate over a window, above a threshold."""

    metric: Selector = Field(description="A counter, or {metric, match}.")
    by: list[str] = Field(default_factory=list, description=_BY)
    window: Duration = Field(description="The rate window, e.g. 5m.")
    above: float = Field(gt=0, description="Events per second.")


class IncreaseIntent(SpecModel):
    """A counter's increase over a window, above a count (0: any event at all)."""

    metric: Selector = Field(description="A counter, or {metric, match}.")
    by: list[str] = Field(default_factory=list, description=_BY)
    window: Duration = Field(description="The increase window, e.g. 1h.")
    above: float = Field(default=0, ge=0, description="Events in the window; 0 fires on any event.")


class GaugeIntent(SpecModel):
    """A gauge aggregated by labels, above a threshold, optionally relative to a configured cap."""

    metric: Selector = Field(description="A gauge, or {metric, match}.")
    aggregate: Literal["sum", "max", "min", "avg"] | None = Field(
        default=None, description="How series per (job, by) combine; defaults to the metric's replicas (per_process: sum, "
                          "shared: max).")
    by: list[str] = Field(default_factory=list, description=_BY)
    above: float = Field(gt=0, description="The threshold; a share (0..1) of the cap with relative_to.")
    relative_to: str | None = Field(default=None, description="A label-less gauge (a configured cap); `above` is then "
                                                      "a share of it.")


class QuantileIntent(SpecModel):
    """A histogram quantile over a window, above a bound, guarded by a minimum event rate."""

    histogram: str = Field(description="A declared histogram.")
    quantile: float = Field(gt=0, lt=1, description="e.g. 0.99.")
    by: list[str] = Field(default_factory=list, description=_BY)
    window: Duration = Field(description="The rate window of the buckets, e.g. 5m.")
    above: float = Field(gt=0, description="In the histogram's unit.")
    min_rate: float = Field(gt=0, description="Observations per second below which it never fires.")


class TargetDownIntent(SpecModel):
    """A scrape target of the service is down (up == 0)."""


class AbsentIntent(SpecModel):
    """A metric is absent for the job: the target vanished from discovery or stopped exporting."""

    metric: str = Field(description="A declared metric.")


class TestSeries(SpecModel):
    """One input series of a promtool case."""

    series: str = Field(description="A promtool series selector, e.g. 'up{job=\"shop\", instance=\"shop-0:8000\"}'.")
    values: str = Field(description="promtool expanding notation, e.g. '0+1x30'.")


class RuleTest(SpecModel):
    """A promtool case for a raw-expr alert: input series and, when it fires, the labels it fires with."""

    name: str = Field(min_length=1, description="What the case shows.")
    interval: Duration = Field(description="Time between the input samples, and between the evaluations of the rules "
                               "(the cases of one interval share a test file).")
    eval_time: Duration = Field(description="When the alert is evaluated.")
    series: list[TestSeries] = Field(min_length=1, description="Input series.")
    fires: bool = Field(description="Whether the alert fires at eval_time.")
    labels: dict[str, str] = Field(default_factory=dict, description="The alert's expression labels when it fires.")
    value: float | None = Field(default=None, description="$value when it fires, to render the annotations.")
