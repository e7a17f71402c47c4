"""The resolved metrics: labels with their cardinality bound, and metrics with their series budget."""

from __future__ import annotations


from jamdash import conventions
from jamdash.findings import Position
from jamdash.record import frozen


@frozen
class Label:
    """A label as it appears on series, with its cardinality bound."""

    key: str
    name: str
    help: str
    values: tuple[str, ...]
    max_values: int | None
    overflow: str
    max_length: int = 128
    """Longest value a bounded label keeps, in characters; longer values fold into overflow."""

    @property
    def closed(self) -> bool:
        return self.max_values is None

    @property
    def cardinality(self) -> int:
        """Distinct values the label can take, the overflow value included."""
        return conventions.label_cardinality(self.values, self.max_values)


@frozen
class Deprecation:
    """A metric, dashboard, log event or event field on its way out; only a metric is `renamed_to` another."""

    reason: str
    until: str | None = None  # YYYY-MM-DD
    renamed_to: str | None = None

    def sentence(self) -> str:
        """'Deprecated until DATE: REASON.', as generated output tells the item's readers."""
        until = f" until {self.until}" if self.until else ""
        return f"Deprecated{until}: {self.reason.strip().rstrip('.')}."


@frozen
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
