"""resolve (compat): renamed metrics' old series, each recorded from the new metric's series."""

from __future__ import annotations

from collections.abc import Sequence

from jamdash import conventions
from jamdash.model.deployment import Matcher
from jamdash.model.metrics import Metric
from jamdash.model.rules import CompatRule
from jamdash.promql import build as q

_MAX_MODES = ("max", "livemax", "mostrecent", "livemostrecent")
_MIN_MODES = ("min", "livemin")


def renames(metrics: Sequence[Metric]) -> list[tuple[Metric, Metric]]:
    """(old, new) for every deprecated metric with renamed_to; lint made sure new can stand in for old."""
    by_name = {m.name: m for m in metrics}
    return [(m, by_name[m.deprecated.renamed_to]) for m in metrics
            if m.deprecated is not None and m.deprecated.renamed_to is not None]


def _aggregation(metric: Metric) -> str:
    """How series of the new metric that differ only in its extra labels add up to one old series."""
    if metric.type == "gauge" and metric.multiprocess_mode in _MAX_MODES:
        return "max"
    if metric.type == "gauge" and metric.multiprocess_mode in _MIN_MODES:
        return "min"
    return "sum"


def resolve_compat(metrics: Sequence[Metric], target: Sequence[Matcher]) -> tuple[CompatRule, ...]:
    """Each old series computed from the new metric's on the service's targets: a histogram's three parts,
    or the one series."""
    out = []
    for old, new in renames(metrics):
        extra = [name for name in new.label_names if name not in old.label_names]
        parts = [(conventions.histogram_series_name(old.name, p), conventions.histogram_series_name(new.name, p))
                 for p in conventions.HISTOGRAM_PARTS] if new.type == "histogram" else [(old.name, new.name)]
        for record, name in parts:
            source = q.selector(name, target=target)
            expr = f"{_aggregation(new)} without ({', '.join(extra)}) ({source})" if extra else source
            out.append(CompatRule(record, expr, old.name, new.name))
    return tuple(out)
