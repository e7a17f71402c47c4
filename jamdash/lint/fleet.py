"""Rules on the fleet section and on replicas: the cluster label, and ratios that divide like by like."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes, conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.spec.intents import Selector, SelectorSpec


def cluster_label(ctx: LintContext) -> Iterator[Finding]:
    fleet = ctx.spec.fleet
    label = fleet.cluster_label if fleet else None
    if not label:
        return
    taken = {raw.name or key for key, raw in ctx.spec.labels.items()}
    if label in taken or label in (*conventions.TARGET_LABELS, conventions.BUCKET_LABEL):
        yield ctx.at(("fleet", "cluster_label"), codes.FLEET_CLUSTER_LABEL,
                     f"'{label}' is already a label of the service's series; the cluster label is the one your "
                     "scrapers add to tell clusters apart (e.g. cluster)")


def histogram_replicas(ctx: LintContext) -> Iterator[Finding]:
    for name, raw in ctx.spec.metrics.items():
        if raw.type == "histogram" and raw.replicas == "shared":
            yield ctx.at(("metrics", name, "replicas"), codes.REPLICAS_HISTOGRAM,
                         f"{name} is a histogram: its buckets are counted per process; remove `replicas: shared`")


def _name(sel: Selector) -> str:
    return sel.metric if isinstance(sel, SelectorSpec) else sel


def _mixed(ctx: LintContext, first: str, second: str, path: Path, what: str) -> Iterator[Finding]:
    a, b = ctx.spec.metrics.get(first), ctx.spec.metrics.get(second)
    if a is None or b is None or a.replicas == b.replicas:
        return
    yield ctx.at(path, codes.REPLICAS_MIXED,
                 f"{what} mixes {first} (replicas: {a.replicas}, combined with "
                 f"{conventions.replica_combine(a.replicas)}) and {second} (replicas: {b.replicas}, combined with "
                 f"{conventions.replica_combine(b.replicas)}): with several replicas it is off by their number; "
                 "declare both alike")


def mixed_replicas(ctx: LintContext) -> Iterator[Finding]:
    """Both sides of every ratio and cap combine a deployment's replicas the same way."""
    for name, alert in ctx.spec.alerts.items():
        if alert.ratio:
            yield from _mixed(ctx, _name(alert.ratio.errors), _name(alert.ratio.total), ("alerts", name, "ratio"),
                              f"alert {name}'s ratio")
        if alert.gauge and alert.gauge.relative_to and alert.gauge.aggregate is None:
            yield from _mixed(ctx, _name(alert.gauge.metric), alert.gauge.relative_to,
                              ("alerts", name, "gauge", "relative_to"), f"alert {name}'s relative_to")
    for i, slo in enumerate(ctx.spec.slo):
        yield from _mixed(ctx, slo.errors, slo.total, ("slo", i), f"SLO {slo.name}")
    for i, rule in enumerate(ctx.spec.recording_rules):
        if rule.ratio:
            yield from _mixed(ctx, _name(rule.ratio.errors), _name(rule.ratio.total), ("recording_rules", i, "ratio"),
                              "this recorded ratio")
    boards = ctx.spec.dashboards.boards if ctx.spec.dashboards else {}
    for key, board in boards.items():
        for i, panel in enumerate(board.panels):
            path: Path = ("dashboards", "boards", key, "panels", i)
            if panel.kind == "ratio" and panel.metric and panel.over:
                yield from _mixed(ctx, panel.metric, panel.over.metric, path, f"panel '{panel.title}'")
            for j, ref in enumerate(panel.references):
                if panel.kind == "value" and panel.metric and ref.metric and panel.aggregate is None:
                    yield from _mixed(ctx, panel.metric, ref.metric, (*path, "references", j),
                                      f"the reference line of panel '{panel.title}'")


RULES = (cluster_label, histogram_replicas, mixed_replicas)
