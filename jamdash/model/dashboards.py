"""The resolved dashboards: panels with their PromQL built, units derived and positions kept."""

from __future__ import annotations


from jamdash.findings import Position
from jamdash.model.metrics import Deprecation
from jamdash.record import frozen

TIME_SERIES = "time_series"
HEATMAP = "heatmap"


@frozen
class Target:
    """One query of a panel; a reference line is a target drawn with its own colour and dashes."""

    expr: str
    legend: str
    metrics: tuple[str, ...]
    format: str = TIME_SERIES
    reference_color: str | None = None


@frozen
class Threshold:
    value: float
    color: str


@frozen
class Link:
    """A link to another generated dashboard."""

    title: str
    uid: str
    path: str


@frozen
class Panel:
    """A panel as Grafana will show it; generators only map it to JSON."""

    title: str
    description: str
    kind: str
    display: str
    unit: str
    targets: tuple[Target, ...]
    thresholds: tuple[Threshold, ...]
    link: Link | None
    width: int
    height: int
    position: Position

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for t in self.targets for m in t.metrics))


@frozen
class Variable:
    """A query template variable listing a label's values (multi-select, with All)."""

    name: str
    label: str
    query: str


@frozen
class Dashboard:
    """A dashboard; a deprecated one already says so in its description and tags."""

    key: str
    uid: str
    path: str
    title: str
    description: str
    tags: tuple[str, ...]
    panels: tuple[Panel, ...]
    position: Position
    deprecated: Deprecation | None = None


@frozen
class Dashboards:
    """All dashboards and the settings they share."""

    folder: str
    title: str  # the service's title, for the dashboards' link to each other
    refresh: str
    time_range: str
    variables: tuple[Variable, ...]
    boards: tuple[Dashboard, ...]

    def board(self, key: str) -> Dashboard:
        return next(b for b in self.boards if b.key == key)
