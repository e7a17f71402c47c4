"""resolve, dashboards part: the recorded series a `recorded:` panel reads, and its targets."""

from __future__ import annotations

from collections.abc import Sequence

from jamdash import conventions as c
from jamdash.model.dashboards import Target
from jamdash.model.metrics import Metric
from jamdash.model.rules import Intent, RecordingRule, Sel
from jamdash.promql import panels as q
from jamdash.resolve.recorded_match import wanted_keys
from jamdash.resolve.recorder import Recorder
from jamdash.spec.dashboards import PanelSpec


class Recorded:
    """The recorded series a `recorded:` panel reads, as the Recorder made them for a per_instance entry."""

    def __init__(self, recorder: Recorder, variables: Sequence[str]) -> None:
        self.recorder, self.variables = recorder, variables

    def rules(self, panel: PanelSpec, m: Metric) -> tuple[RecordingRule, ...]:
        """One recorded series per quantile, or the one recorded ratio."""
        keys = wanted_keys(panel, [lb.key for lb in m.labels], self.variables)
        by = tuple(q.group(m, sorted(keys)))
        window = panel.recorded or ""
        if panel.kind == "quantiles":
            intents = [Intent("quantile", by, window, metric=Sel(m.name), quantile=quantile)
                       for quantile in panel.quantiles]
        else:
            den = panel.over.metric if panel.over else ""
            intents = [Intent("ratio", by, window, errors=Sel(m.name), total=Sel(den))]
        return self.recorder.per_instance(intents)

    def labels(self, panel: PanelSpec, m: Metric) -> tuple[str, ...]:
        """The labels the recorded series keep besides job (instance first)."""
        return self.rules(panel, m)[0].intent.by

    def description(self, panel: PanelSpec, m: Metric) -> str:
        """What a panel reading recorded series adds to its description: the window and the lines."""
        return (f"Read from recorded series over a fixed {panel.recorded} window (not $__rate_interval): "
                f"one line per {' and '.join(self.labels(panel, m))}.")


def recorded_targets(panel: PanelSpec, m: Metric, scope: q.Scope, recorded: Recorded) -> list[Target]:
    """One target per quantile, or the recorded ratio: the recorded series, filtered like raw ones."""
    rules = recorded.rules(panel, m)
    labels = c.panel_labels(rules[0].intent.by, scope.cluster)
    if panel.kind == "ratio":
        den = panel.over.metric if panel.over else ""
        return [Target(q.selector(m, scope, panel.match, rules[0].record), q.legend(labels, panel.legend or ""),
                       (m.name, den))]
    return [Target(q.selector(m, scope, panel.match, rule.record),
                   q.legend(labels, " ".join(p for p in (f"p{quantile * 100:g}", panel.legend) if p)), (m.name,))
            for quantile, rule in zip(panel.quantiles, rules)]
