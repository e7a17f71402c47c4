"""Input types for the alerting settings, alerts and recording rules sections."""

from typing import Literal

from jamdash.spec.common import Duration, Field, SpecModel
from jamdash.spec.intents import (
    AbsentIntent, GaugeIntent, IncreaseIntent, QuantileIntent, RateIntent, RatioIntent, RatioPair, RuleTest,
    Selector, TargetDownIntent,
)

Severity = Literal["critical", "warning", "info"]


class AlertingSpec(SpecModel):
    """Settings every alert shares: the link patterns (and, older form, the scrape job)."""

    job: str | None = Field(default=None, min_length=1, description=(
        'The `job` label of the service\'s targets: short for deployment.selector {job="<job>"}.'))
    runbook_url: str = Field(
        description="Runbook link pattern; {anchor} becomes the alert's section anchor in "
                    "generated/docs/runbooks.md (lower-case alert name) and {alert} its name.")
    grafana_url: str = Field(default="", description="Grafana's root URL; an alert's dashboard_url is this plus "
                                             "/d/<uid>/<slug> of its dashboard.")
    receivers: dict[Severity, str] = Field(
        default_factory=dict,
        description="Alertmanager receiver per severity (generated/alertmanager/): critical defaults to "
                    "<service>-page, warning to <service>-ticket; a severity without one (info by default) "
                    "goes to <service>-none, which notifies nobody.")


class AlertSpec(SpecModel):
    """One alert: exactly one intent (ratio, rate, ...) or a raw `expr`, plus what operators read."""

    severity: Severity = Field(description="critical (page), warning (ticket) or info.")
    for_: Duration = Field(yaml_name="for", description="How long the condition must hold before the alert fires.")
    summary: str = Field(min_length=1, description="One static sentence: what is wrong.")
    description: str = Field(min_length=1, description="Templated detail: {{ $labels.x }}, {{ $value }}; "
                                                        "{window}-style spec parameters are filled in too.")
    dashboard: str | None = Field(default=None, description="Name of the dashboard that shows this alert's signal.")
    runbook: str = Field(default="", description="Markdown for the runbook section: what to check, how to mitigate.")
    labels: dict[str, str] = Field(default_factory=dict, description="Extra static labels for routing.")
    ratio: RatioIntent | None = Field(default=None, description="Intent: errors / total above a share.")
    rate: RateIntent | None = Field(default=None, description="Intent: a counter's rate above a threshold.")
    increase: IncreaseIntent | None = Field(default=None, description="Intent: a counter's increase above a count.")
    gauge: GaugeIntent | None = Field(default=None, description="Intent: a gauge above a threshold, or a share of a cap.")
    quantile: QuantileIntent | None = Field(default=None, description="Intent: a histogram quantile above a bound.")
    target_down: TargetDownIntent | None = Field(default=None, description="Intent: a scrape target is down ({}).")
    absent: AbsentIntent | None = Field(default=None, description="Intent: a metric is absent for the job.")
    expr: str | None = Field(default=None, description="Escape hatch: raw PromQL, still checked; $name takes a value "
                                               "from params, $job the scrape job. Needs tests.")
    params: dict[str, float | str] = Field(default_factory=dict, description="Parameters of a raw expr.")
    tests: list[RuleTest] = Field(default_factory=list, description="promtool cases for a raw expr.")


class RecordingRuleSpec(SpecModel):
    """Recorded series for dashboards: one kind (rate, increase, ratio or quantiles) over windows."""

    rate: str | None = Field(default=None, description="A counter whose per-second rate is recorded.")
    increase: str | None = Field(default=None, description="A counter whose increase is recorded.")
    ratio: RatioPair | None = Field(default=None, description="errors / total, both counters.")
    histogram: str | None = Field(default=None, description="A histogram whose quantiles are recorded.")
    quantiles: list[float] = Field(default_factory=list, description="With histogram: e.g. [0.5, 0.9, 0.99].")
    by: list[str] = Field(default_factory=list, description="Label keys kept, besides job.")
    per_instance: bool = Field(default=False, description="Keep `instance` too (level job_instance_...), so a dashboard "
                                                  "panel can read the series filtered by $instance.")
    windows: list[Duration] = Field(min_length=1, description="Range windows, e.g. [5m].")


class BurnWindow(SpecModel):
    """One multi-window burn-rate condition, as a share of the SLO period."""

    alert: Literal["page", "ticket"] = Field(description="Which of the two alerts this condition belongs to.")
    budget_consumed: float = Field(gt=0, le=1, description="Share of the error budget spent in the long window.")
    period_divisor: int = Field(ge=2, description="Long window = SLO period / this (30d / 720 = 1h).")
    short_divisor: int = Field(default=12, ge=2, description="Short window = long window / this.")


# The SRE workbook's four conditions over 30d: page 14.4x over 1h/5m and 6x over 6h/30m,
# ticket 3x over 1d/2h and 1x over 3d/6h; other periods scale the windows, not the factors.
DEFAULT_BURN_WINDOWS = (
    BurnWindow(alert="page", budget_consumed=0.02, period_divisor=720, short_divisor=12),
    BurnWindow(alert="page", budget_consumed=0.05, period_divisor=120, short_divisor=12),
    BurnWindow(alert="ticket", budget_consumed=0.10, period_divisor=30, short_divisor=12),
    BurnWindow(alert="ticket", budget_consumed=0.10, period_divisor=10, short_divisor=12),
)


def _default_burn_windows() -> list[BurnWindow]:
    return list(DEFAULT_BURN_WINDOWS)


class SloAlertSpec(SpecModel):
    """The severity and `for:` of one of an SLO's two alerts."""

    severity: Severity = Field(description="critical, warning or info.")
    for_: Duration = Field(yaml_name="for", description="How long the burn must last before the alert fires.")


class LatencySli(SpecModel):
    """A latency SLI: the share of a histogram's observations at or under a bucket bound."""

    histogram: str = Field(description="A declared histogram.")
    below: float = Field(gt=0, description="One of the histogram's bucket bounds, in its unit: observations at "
                                           "or under it are good.")
    match: dict[str, str] = Field(default_factory=dict, description="Label key -> required value.")


class SloSpec(SpecModel):
    """An SLO with multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5): a success ratio
    (errors / total) or a latency SLI (observations under a bucket bound)."""

    name: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$",
                      description="CamelCase; its alerts are <Service><name>BudgetBurnPage and "
                                  "<Service><name>BudgetBurnTicket.")
    objective: float = Field(gt=0, lt=1, description="Target success ratio, e.g. 0.99.")
    period: Duration = Field(default="30d", description="The SLO period the windows are derived from.")
    errors: Selector | None = Field(default=None, description="Counter of failed events, or {metric, match}; with total.")
    total: Selector | None = Field(default=None, description="Counter of all events, or {metric, match}; with errors.")
    latency: LatencySli | None = Field(default=None, description="Instead of errors and total: a latency SLI.")
    by: list[str] = Field(default_factory=list, description="Label keys to keep an SLO per, besides job.")
    summary: str = Field(min_length=1, description="One static sentence for both alerts.")
    dashboard: str | None = Field(default=None, description="The dashboard that shows the SLO's signal.")
    runbook: str = Field(default="", description="Markdown for the runbook sections of both alerts.")
    page: SloAlertSpec = Field(default=SloAlertSpec(severity="critical", for_="2m"),
                               description="The fast-burn alert (default critical, for 2m).")
    ticket: SloAlertSpec = Field(default=SloAlertSpec(severity="warning", for_="15m"),
                                 description="The slow-burn alert (default warning, for 15m).")
    windows: list[BurnWindow] = Field(default_factory=_default_burn_windows,
                                      description="Burn-rate conditions; the default is the SRE workbook's four.")
