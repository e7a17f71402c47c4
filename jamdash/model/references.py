"""Which alerts, dashboards and rules use a metric: the one question diff and the docs ask the model."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from jamdash import conventions
from jamdash.model import Model
from jamdash.promql.catalog import metric_of
from jamdash.promql.walk import series_names

ALERT = "alert"
DASHBOARD = "dashboard"
RECORDING_RULE = "recording rule"


@dataclass(frozen=True, order=True)
class Use:
    """One thing that reads a metric: an alert, a dashboard panel, or a recording rule."""

    kind: str  # ALERT, DASHBOARD or RECORDING_RULE
    name: str  # the alert name, dashboard title or recorded series name
    detail: str = ""  # e.g. the panel title within a dashboard
    # where it is documented, relative to generated/docs/ (e.g. "runbooks.md#shopqueuefull"); not part of
    # its identity, so a Use built without it compares equal
    link: str = field(default="", compare=False)

    def describe(self) -> str:
        return f"{self.kind} {self.name}" + (f" ({self.detail})" if self.detail else "")


# A source yields, for every query in the model, what it belongs to and the series names it selects;
# a recording rule's Use.name is the series it records.
Source = Callable[[Model], Iterable[tuple[Use, Iterable[str]]]]


def _rules(model: Model) -> Iterator[tuple[Use, Iterable[str]]]:
    for rule in model.rules.recording:
        yield Use(RECORDING_RULE, rule.record), series_names(rule.expr)
    for alert in model.rules.alerts:
        anchor = "runbooks.md#" + conventions.alert_anchor(alert.name)
        yield Use(ALERT, alert.name, link=anchor), series_names(alert.expr)


def _dashboards(model: Model) -> Iterator[tuple[Use, Iterable[str]]]:
    # Panel queries hold Grafana variables ($__rate_interval) that PromQL does not parse; the
    # resolved targets name their metrics.
    for board in model.dashboards.boards if model.dashboards else ():
        for panel in board.panels:
            for target in panel.targets:
                yield Use(DASHBOARD, board.title, panel.title, f"../grafana/dashboards/{board.uid}.json"), \
                    target.metrics


def _compat(model: Model) -> Iterator[tuple[Use, Iterable[str]]]:
    # A renamed metric's old name is recorded from the new one: a dashboard on the old name reads the new metric.
    for rule in model.rules.compat:
        yield Use(RECORDING_RULE, rule.record, "compat"), series_names(rule.expr)


def sources() -> tuple[Source, ...]:
    """Every part of the model that holds queries."""
    return (_rules, _dashboards, _compat)


def queries(model: Model) -> Iterator[tuple[Use, Iterable[str]]]:
    for source in sources():
        yield from source(model)


def uses(model: Model, histograms: Collection[str] = ()) -> dict[str, tuple[Use, ...]]:
    """Metric name -> everything that reads it, directly or through recording rules, sorted.

    Names that are not metrics of the model (a metric since removed, say) are keys too; pass the
    histogram names of another model in `histograms` to fold their series as well.
    """
    known = {m.name for m in model.metrics if m.type == "histogram"} | set(histograms)
    direct: dict[str, set[Use]] = {}
    for use, names in queries(model):
        for series in names:
            direct.setdefault(metric_of(series, known), set()).add(use)
    closed: dict[str, tuple[Use, ...]] = {}
    for name in direct:
        seen: set[Use] = set()
        todo = list(direct[name])
        while todo:  # a recording rule's readers read the metric too
            use = todo.pop()
            if use in seen:
                continue
            seen.add(use)
            if use.kind == RECORDING_RULE:
                todo.extend(direct.get(metric_of(use.name, known), ()))
        closed[name] = tuple(sorted(seen))
    return closed


def used_by(model: Model, metric: str) -> tuple[Use, ...]:
    """Everything in the model that reads metric."""
    return uses(model).get(metric, ())


def alerts_and_dashboards(found: Iterable[Use]) -> tuple[Use, ...]:
    """Only what people look at: alerts and dashboards, not the rules between."""
    return tuple(sorted(u for u in found if u.kind in (ALERT, DASHBOARD)))
