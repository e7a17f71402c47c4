"""The resolved model: a frozen, sorted view of a lint-clean spec that generators read."""

from __future__ import annotations

from dataclasses import field
from functools import cached_property

from jamdash.load.source import SourceMap
from jamdash.model.dashboards import Dashboards
from jamdash.model.fleet import Fleet
from jamdash.model.deployment import Deployment
from jamdash.model.metrics import Label, Metric
from jamdash.model.rules import RuleSet
from jamdash.model.telemetry import Telemetry
from jamdash.record import frozen


@frozen
class Model:
    """Everything generators need, with no reference back to the raw spec."""

    spec_path: str
    service: str
    title: str  # the service's name for people: headings, the dashboards' folder and links
    scrape_interval: str
    scrape_interval_seconds: float
    max_series: int
    labels: tuple[Label, ...]
    metrics: tuple[Metric, ...]
    deployment: Deployment
    source: SourceMap = field(compare=False, repr=False)
    rules: RuleSet
    telemetry: Telemetry | None = None
    dashboards: Dashboards | None = None
    fleet: Fleet = field(default_factory=Fleet)

    @cached_property
    def metrics_by_name(self) -> dict[str, Metric]:
        return {m.name: m for m in self.metrics}

    def metric(self, name: str) -> Metric:
        return self.metrics_by_name[name]

    @property
    def total_series(self) -> int:
        return sum(m.series_budget for m in self.metrics)
