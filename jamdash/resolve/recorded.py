"""resolve, dashboards part: the recorded series a `recorded:` panel reads, and its targets."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from jamdash import conventions as c
from jamdash.promql import panels as q
from jamdash.model.dashboards import Target
from jamdash.resolve.recorded_match import recording_for
from jamdash.model.metrics import Metric
from jamdash.spec.alerts import RecordingRuleSpec
from jamdash.spec.dashboards import PanelSpec


class Recorded:
    """The recorded series a `recorded:` panel reads, named by conventions and checked to be generated."""

    def __init__(self, rules: Sequence[RecordingRuleSpec], records: Collection[str], variables: Sequence[str],
                 service: str, cluster: str = "") -> None:
        self.rules, self.records, self.variables, self.service = rules, records, variables, service
        self.cluster = cluster

    def labels(self, panel: PanelSpec, m: Metric) -> tuple[RecordingRuleSpec, tuple[str, ...]]:
        """The recording_rules entry and the labels its series keep besides job (instance first)."""
        rule = recording_for(panel, self.rules, [lb.key for lb in m.labels], self.variables)
        assert rule is not None, f"lint (dashboard-unknown-recording) lets no unrecorded panel '{panel.title}' through"
        return rule, c.recorded_by(tuple(q.group(m, rule.by)), True)

    def description(self, panel: PanelSpec, m: Metric) -> str:
        """What a panel reading recorded series adds to its description: the window and the lines."""
        _, labels = self.labels(panel, m)
        return (f"Read from recorded series over a fixed {panel.recorded} window (not $__rate_interval): "
                f"one line per {' and '.join(labels)}.")

    def name(self, panel: PanelSpec, m: Metric, quantile: float = 0.0) -> str:
        _, by = self.labels(panel, m)
        window = panel.recorded or ""
        if panel.kind == "quantiles":
            record = c.quantile_record(m.name, quantile, by, window, self.cluster)
        else:
            record = c.ratio_record(self.service, m.name, panel.over.metric if panel.over else "", by, window,
                                    self.cluster)
        assert record in self.records, f"{record} is not a generated recording rule"
        return record


def recorded_targets(panel: PanelSpec, m: Metric, scope: q.Scope, recorded: Recorded) -> list[Target]:
    """One target per quantile, or the recorded ratio: the recorded series, filtered like raw ones."""
    _, by = recorded.labels(panel, m)
    labels = c.panel_labels(by, scope.cluster)
    if panel.kind == "ratio":
        den = panel.over.metric if panel.over else ""
        return [Target(q.selector(m, scope, panel.match, recorded.name(panel, m)), c.legend(labels, panel.legend or ""),
                       (m.name, den))]
    return [Target(q.selector(m, scope, panel.match, recorded.name(panel, m, quantile)),
                   c.legend(labels, " ".join(p for p in (f"p{quantile * 100:g}", panel.legend) if p)), (m.name,))
            for quantile in panel.quantiles]
