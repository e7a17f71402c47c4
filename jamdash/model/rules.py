"""The resolved Prometheus rules: recorded series, alerts and SLOs, as generators read them."""

from __future__ import annotations


from jamdash.findings import NOWHERE, Position
from jamdash.model.routing import Routing
from jamdash.record import frozen


@frozen
class Sel:
    """A metric narrowed to label values (label names, not spec keys)."""

    metric: str
    match: tuple[tuple[str, str], ...] = ()

    @property
    def match_dict(self) -> dict[str, str]:
        return dict(self.match)


@frozen
class RawSeries:
    series: str
    values: str


@frozen
class RawTest:
    """A promtool case written in the spec for a raw-expr alert."""

    name: str
    interval: str
    eval_time: str
    series: tuple[RawSeries, ...]
    fires: bool
    labels: tuple[tuple[str, str], ...]
    value: float | None
    position: Position = NOWHERE  # the entry under the alert's `tests:`


@frozen
class Intent:
    """What a rule watches; `kind` says which fields apply. Label names are resolved."""

    kind: str  # ratio | rate | increase | gauge | quantile | target_down | absent | expr | slo | latency
    by: tuple[str, ...] = ()
    window: str = ""
    above: float = 0.0
    min_rate: float = 0.0
    errors: Sel | None = None
    total: Sel | None = None
    metric: Sel | None = None
    quantile: float = 0.0
    aggregate: str = "sum"
    relative_to: str | None = None
    raw_tests: tuple[RawTest, ...] = ()


@frozen
class RecordingRule:
    record: str
    expr: str
    group: str
    labels: tuple[str, ...]  # labels of every recorded series (job first)
    intent: Intent  # kind rate | increase | ratio | quantile | latency
    position: Position = NOWHERE
    listed: bool = False  # asked for by a `recording_rules` entry, for readers outside the spec


@frozen
class CompatRule:
    """A renamed metric's old series, recorded from the new metric's so queries on the old name keep working."""

    record: str
    expr: str
    old: str  # the deprecated metric
    new: str  # the metric it is renamed to


@frozen
class BurnWindow:
    """One burn-rate condition: the error ratio over both windows above factor × (1 - objective)."""

    alert: str  # page | ticket
    long: str
    short: str
    factor: float
    threshold: float


@frozen
class Slo:
    """A success-ratio SLO (errors / total), or a latency SLO: total is the histogram (and its match),
    and the observations at or under `below`, one of its bucket bounds, are the good ones."""

    name: str
    objective: float
    period: str
    errors: Sel | None
    total: Sel
    by: tuple[str, ...]
    windows: tuple[BurnWindow, ...]
    position: Position = NOWHERE
    below: float | None = None


@frozen
class Alert:
    name: str
    group: str
    expr: str
    for_: str
    severity: str
    labels: tuple[tuple[str, str], ...]  # static labels, severity included
    annotations: tuple[tuple[str, str], ...]  # Go templates left for Prometheus to render
    output_labels: tuple[str, ...]  # labels the expression's series carry
    intent: Intent
    summary: str
    dashboard: str | None
    runbook: str = ""
    position: Position = NOWHERE
    expr_position: Position = NOWHERE
    slo: Slo | None = None
    burn: BurnWindow | None = None  # an SLO alert's rule: the one window pair it checks

    @property
    def annotation_dict(self) -> dict[str, str]:
        return dict(self.annotations)


@frozen
class RuleSet:
    """Every rule the spec yields, in evaluation order (a recorded series before its users)."""

    service: str
    scrape_interval: str
    recording: tuple[RecordingRule, ...] = ()
    alerts: tuple[Alert, ...] = ()
    slos: tuple[Slo, ...] = ()
    compat: tuple[CompatRule, ...] = ()  # generated into their own file, apart from the groups above
    routing: Routing | None = None  # the Alertmanager side, when there are alerts

    def __bool__(self) -> bool:
        return bool(self.recording or self.alerts)
