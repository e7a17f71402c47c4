"""The resolved model: a frozen, sorted view of a lint-clean spec that generators read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from jamdash import conventions
from jamdash.model.dashboards import Dashboards
from jamdash.model.fleet import Fleet
from jamdash.findings import Position
from jamdash.model.rules import RuleSet
from jamdash.load.source import SourceMap

if TYPE_CHECKING:
    from jamdash.model.telemetry import Telemetry


@dataclass(frozen=True)
class Label:
    """A label as it appears on series, with its cardinality bound."""

    key: str
    name: str
    help: str
    values: tuple[str, ...]
    max_values: int | None
    overflow: str

    @property
    def closed(self) -> bool:
        return self.max_values is None

    @property
    def cardinality(self) -> int:
        """Distinct values the label can take, the overflow value included."""
        return conventions.label_cardinality(self.values, self.max_values)


@dataclass(frozen=True)
class Deprecation:
    reason: str
    renamed_to: str | None
    until: str | None


@dataclass(frozen=True)
class Metric:
    """One metric with everything resolved: labels, buckets and series budget."""

    name: str
    type: str
    help: str
    unit: str
    labels: tuple[Label, ...]
    buckets: tuple[float, ...]
    multiprocess_mode: str | None
    waived: frozenset[str]
    deprecated: Deprecation | None
    series_budget: int
    position: Position
    synthetic: bool = False
    replicas: str = "per_process"

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    @property
    def combine(self) -> str:
        """How the series of a deployment's replicas combine: shared values with max, per-process with sum."""
        return conventions.replica_combine(self.replicas)


@dataclass(frozen=True)
class Model:
    """Everything generators need, with no reference back to the raw spec."""

    spec_path: str
    service: str
    scrape_interval: str
    scrape_interval_seconds: float
    max_series: int
    labels: tuple[Label, ...]
    metrics: tuple[Metric, ...]
    source: SourceMap = field(compare=False, repr=False)
    rules: RuleSet = field(default_factory=RuleSet)
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
