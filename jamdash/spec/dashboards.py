"""Input types for the spec's dashboards section: panels described by intent, not by JSON or PromQL."""

from typing import Literal

from jamdash.spec.common import Deprecation, Duration, Field, SpecModel

PanelKind = Literal["rate", "ratio", "quantiles", "heatmap", "value", "age"]
Display = Literal["timeseries", "stat", "gauge", "heatmap"]
Aggregation = Literal["sum", "max", "min", "avg"]


class PanelSeriesSpec(SpecModel):
    """One metric on a panel, optionally narrowed to label values and grouped by labels."""

    metric: str = Field(description="A declared metric.")
    match: dict[str, list[str]] = Field(
        default_factory=dict, description="Label key -> the declared values to keep (e.g. code_class: [5xx]).")
    by: list[str] = Field(default_factory=list, description="Label keys to keep as separate series.")
    legend: str | None = Field(default=None, description="Legend text before the grouping labels' values.")


class ReferenceSpec(SpecModel):
    """A reference line: a gauge such as a configured cap, or the threshold of a gauge alert."""

    title: str = Field(min_length=1, description="The line's legend, e.g. 'cap'.")
    metric: str | None = Field(default=None, description="A declared gauge, usually a configured limit.")
    alert: str | None = Field(default=None, description="A gauge alert: the line is its threshold, relative to its cap "
                                                "when it has one, so the panel and the alert never disagree.")
    factor: float = Field(default=1.0, gt=0, description="Multiplier of `metric`, e.g. 0.5 for half the cap.")
    color: str = Field(default="red", description="Grafana colour name or #rrggbb.")


class ThresholdSpec(SpecModel):
    """A step where the panel changes colour (and, on time series, a dashed line)."""

    value: float = Field(description="Where the step starts, in the panel's unit.")
    color: str = Field(description="Grafana colour name or #rrggbb.")


def _default_quantiles() -> list[float]:
    return [0.5, 0.9, 0.99]


class PanelSpec(SpecModel):
    """One panel: what it shows (kind) over which metrics; the PromQL is built from the model."""

    title: str = Field(min_length=1, description="Panel title, unique within its dashboard.")
    kind: PanelKind = Field(description=(
        "rate: per-second rate of counters; ratio: rate of `metric` over rate of `over`; "
        "quantiles: histogram quantiles; heatmap: histogram buckets over time; "
        "value: current value of gauges; age: seconds since a timestamp gauge."))
    description: str | None = Field(default=None, description="Shown in the panel's (i); defaults to the metrics' help.")
    display: Display | None = Field(default=None, description="Visualisation; timeseries unless kind is heatmap.")
    metric: str | None = Field(default=None, description="The metric, for a panel with one series.")
    match: dict[str, list[str]] = Field(default_factory=dict, description="Label values to keep, for `metric`.")
    by: list[str] = Field(default_factory=list, description="Label keys to group by (all series of the panel).")
    legend: str | None = Field(default=None, description="Legend text before the grouping labels' values.")
    series: list[PanelSeriesSpec] = Field(default_factory=list, description="Several metrics on one panel.")
    over: PanelSeriesSpec | None = Field(default=None, description="ratio only: the denominator.")
    aggregate: Aggregation | None = Field(
        default=None, description="How series across targets and instances combine; defaults to the metric's replicas "
                          "(per_process: sum, shared: max).")
    quantiles: list[float] = Field(default_factory=_default_quantiles,
                                   description="quantiles only: the quantiles to draw.")
    recorded: Duration | None = Field(default=None, description=(
        "quantiles and ratio: read the per_instance recorded series of the matching recording_rules entry over "
        "this window, instead of computing from raw series on every refresh."))
    unit: str | None = Field(default=None, description="Grafana unit id (reqps, s, bytes, percentunit...); derived if unset.")
    thresholds: list[ThresholdSpec] = Field(default_factory=list,
                                            description="Colour steps; dashed lines on a time series.")
    references: list[ReferenceSpec] = Field(default_factory=list,
                                            description="Reference lines, e.g. a configured cap and an alert threshold.")
    link: str | None = Field(default=None, description="Key of the dashboard this panel opens when clicked.")
    width: int | None = Field(default=None, ge=1, le=24, description="Columns of the 24-column grid.")
    height: int | None = Field(default=None, ge=2, le=40, description="Grid rows (30 px each).")


class DashboardSpec(SpecModel):
    """One dashboard: a title and its panels, laid out left to right on the 24-column grid."""

    title: str = Field(min_length=1, description="Dashboard title.")
    description: str = Field(default="", description="Dashboard description, shown in Grafana's dashboard list.")
    tags: list[str] = Field(default_factory=list, description="Grafana tags; the service name is always added.")
    panels: list[PanelSpec] = Field(min_length=1, description="Panels, laid out left to right, top to bottom.")
    deprecated: Deprecation | None = Field(default=None, description=(
        "Set when the dashboard is on its way out: it is tagged `deprecated` and says so in its description, "
        "and `jamdash diff` accepts its removal once the base has it deprecated."))


class DashboardsSpec(SpecModel):
    """The dashboards section: shared settings and the dashboards by name (name -> uid <service>-<name>)."""

    folder: str | None = Field(default=None, min_length=1, description="Grafana folder the provisioned dashboards go to; "
                                                             "default: the spec's title.")
    target_metric: str = Field(description="A metric every target of the service exports; the job and instance variables list its series.")
    variables: list[str] = Field(default_factory=list, description="Label keys that get a template variable (e.g. store).")
    refresh: Duration = Field(default="30s", description="How often an open dashboard refreshes.")
    time_range: Duration = Field(default="6h", description="The default time range: now-<time_range> to now.")
    boards: dict[str, DashboardSpec] = Field(min_length=1, description="Dashboards by key; the uid is <service>-<key>.")
