"""Compatibility of the working spec with a base one: each change, breaking or safe, and who it affects."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from jamdash import codes
from jamdash.diff.change import WAIVED, Change
from jamdash.diff.sections import compare_sections
from jamdash.findings import Position
from jamdash.model import Model, references
from jamdash.model.metrics import Label, Metric

def _metrics(model: Model) -> dict[str, Metric]:
    return {m.name: m for m in model.metrics if not m.synthetic}


def _signature(m: Metric) -> tuple[object, ...]:
    return m.type, m.unit, tuple(sorted(m.label_names)), m.buckets


def _pairs(removed: list[str], added: list[str], key: dict[str, object]) -> dict[str, str]:
    """Removed name -> added name with the same key, most similar names first: likely renames."""
    scored = sorted((-difflib.SequenceMatcher(None, r, a).ratio(), r, a)
                    for r in removed for a in added if key[r] == key[a])
    pairs: dict[str, str] = {}
    for _, r, a in scored:
        if r not in pairs and a not in pairs.values():
            pairs[r] = a
    return pairs


def _possible_values(label: Label) -> set[str] | None:
    """The values a label can take, or None when it is bounded (any value may appear)."""
    return set(label.values) | {label.overflow} if label.closed else None


def _label_changes(old: Metric, new: Metric) -> Iterator[tuple[codes.Code, str]]:
    old_labels = {lb.name: lb for lb in old.labels}
    new_labels = {lb.name: lb for lb in new.labels}
    removed = [n for n in old_labels if n not in new_labels]
    added = [n for n in new_labels if n not in old_labels]
    shape: dict[str, object] = {n: (lb.values, lb.max_values) for n, lb in old_labels.items() if n in removed}
    shape |= {n: (lb.values, lb.max_values) for n, lb in new_labels.items() if n in added}
    by_key = {r: a for r in removed for a in added if old_labels[r].key == new_labels[a].key}
    rest = [a for a in added if a not in by_key.values()]
    renames = by_key | _pairs([r for r in removed if r not in by_key], rest, shape)
    for name in removed:
        if name in renames:
            yield codes.COMPAT_LABEL_RENAMED, f"label '{name}' of {old.name} renamed to '{renames[name]}'"
        else:
            yield codes.COMPAT_LABEL_REMOVED, f"label '{name}' removed from {old.name}"
    for name in added:
        if name not in renames.values():
            yield codes.COMPAT_LABEL_ADDED, f"label '{name}' added to {new.name}"


def value_changes(old: Label, new: Label) -> Iterator[tuple[codes.Code, str]]:
    """How the values a label can take changed; the same for every metric that carries it."""
    before, after = _possible_values(old), _possible_values(new)
    where = f"label '{new.name}'"
    if after is None:  # bounded now: any value may appear, but a changed overflow value is gone
        if old.overflow != new.overflow:
            yield codes.COMPAT_LABEL_VALUE_REMOVED, f"{where} folds into '{new.overflow}' instead of '{old.overflow}'"
        if before is not None:
            yield codes.COMPAT_LABEL_VALUE_ADDED, f"{where} now takes any value, up to {new.max_values}"
    elif before is None:
        yield codes.COMPAT_LABEL_VALUE_REMOVED, f"{where} is closed now: values other than {_quoted(sorted(after))} fold"
    else:
        if before - after:
            yield codes.COMPAT_LABEL_VALUE_REMOVED, f"{where} no longer takes {_quoted(sorted(before - after))}"
        if after - before:
            yield codes.COMPAT_LABEL_VALUE_ADDED, f"{where} now also takes {_quoted(sorted(after - before))}"


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _bounds(buckets: tuple[float, ...]) -> str:
    return "[" + ", ".join(f"{b:g}" for b in buckets) + "]"


def _metric_changes(old: Metric, new: Metric) -> Iterator[tuple[codes.Code, str, tuple[str | int, ...]]]:
    if old.type != new.type:
        yield codes.COMPAT_TYPE_CHANGED, f"{new.name} changed type from {old.type} to {new.type}", ("type",)
    if old.unit != new.unit:
        yield codes.COMPAT_UNIT_CHANGED, f"{new.name} changed unit from '{old.unit}' to '{new.unit}'", ("unit",)
    if old.type == new.type == "histogram" and old.buckets != new.buckets:
        yield (codes.COMPAT_BUCKETS_CHANGED, f"{new.name} changed buckets from {_bounds(old.buckets)} to "
               f"{_bounds(new.buckets)}; quantiles across the change are wrong", ("buckets",))
    for kind, message in _label_changes(old, new):
        yield kind, message, ("labels",)
    if new.deprecated and not old.deprecated:
        to = f"; renamed to {new.deprecated.renamed_to}, whose values jamdash records under the old name" \
            if new.deprecated.renamed_to else ""
        yield codes.COMPAT_METRIC_DEPRECATED, f"{new.name} deprecated ({new.deprecated.reason.rstrip('.')}){to}", ("deprecated",)


def compare(old: Model, new: Model) -> list[Change]:
    """Every change from old to new, in spec order of metric name, breaking or not."""
    histograms = {m.name for m in (*old.metrics, *new.metrics) if m.type == "histogram"}
    old_uses, new_uses = references.uses(old, histograms), references.uses(new, histograms)

    def affects(name: str, *others: str) -> tuple[str, ...]:
        found = [u for n in (name, *others) for u in (*old_uses.get(n, ()), *new_uses.get(n, ()))]
        return tuple(u.describe() for u in references.alerts_and_dashboards(set(found)))

    before, after = _metrics(old), _metrics(new)
    removed = [n for n in before if n not in after]
    added = [n for n in after if n not in before]
    renames = _pairs(removed, added, {n: _signature(m) for n, m in (*before.items(), *after.items())})
    top = new.source.key(("metrics",))
    changes: list[Change] = []
    for name in removed:
        readers = references.alerts_and_dashboards(new_uses.get(name, ()))
        deprecated = before[name].deprecated
        ack = f"deprecated in the base: {deprecated.reason}" if deprecated else ""
        if readers:
            message = f"{name} is gone but {', '.join(u.describe() for u in readers)} still query it"
            changes.append(Change(codes.COMPAT_DEPENDENCY_GONE, name, message, top, "", affects(name)))
        elif name in renames:
            message = (f"{name} renamed to {renames[name]}? Keep {name} with `deprecated: {{reason: ..., "
                       f"renamed_to: {renames[name]}}}` so queries on the old name keep working")
            changes.append(Change(codes.COMPAT_METRIC_RENAMED, name, message, after[renames[name]].position, ack, affects(name)))
        else:
            changes.append(Change(codes.COMPAT_METRIC_REMOVED, name, f"{name} removed (a {before[name].type})", top, ack,
                                  affects(name)))
    for name in added:
        if name not in renames.values():
            changes.append(Change(codes.COMPAT_METRIC_ADDED, name, f"{name} added (a {after[name].type})", after[name].position))
    for name in (n for n in after if n in before):
        metric = after[name]
        for kind, message, sub in _metric_changes(before[name], metric):
            ack = WAIVED if kind in metric.waived else ""
            changes.append(Change(kind, name, message, new.source.key(("metrics", name, *sub)), ack, affects(name)))
    changes.extend(_label_value_changes(before, after, new, affects))
    changes.extend(compare_sections(old, new))
    return sorted(changes, key=lambda c: (c.subject, c.kind, c.message))


def _label_value_changes(before: dict[str, Metric], after: dict[str, Metric], new: Model,
                         affects: Callable[..., tuple[str, ...]]) -> Iterator[Change]:
    """Value changes of a label, one change for all the metrics that carry it, at its declaration."""
    grouped: dict[tuple[str, codes.Code, str], list[Metric]] = {}
    for name, metric in after.items():
        old_labels = {lb.name: lb for lb in before[name].labels} if name in before else {}
        for label in metric.labels:
            if label.name in old_labels:
                for kind, message in value_changes(old_labels[label.name], label):
                    grouped.setdefault((label.key, kind, message), []).append(metric)
    for (key, kind, message), metrics in sorted(grouped.items()):
        open_ = [m.name for m in metrics if kind not in m.waived]
        names = open_ or [m.name for m in metrics]
        ack = "" if open_ else "waived on every metric that carries it"
        yield Change(kind, f"label {key}", f"{message} on {', '.join(names)}",
                     new.source.key(("labels", key, "values")), ack, affects(*names))
