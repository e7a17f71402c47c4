"""Which recording_rules entry a `recorded:` dashboard panel reads: the one match, by metric, labels and window."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from jamdash.spec.alerts import RecordingRuleSpec
from jamdash.spec.dashboards import PanelSpec
from jamdash.spec.intents import SelectorSpec

RECORDED_KINDS = ("quantiles", "ratio")


def wanted_keys(panel: PanelSpec, metric_keys: Collection[str], variables: Sequence[str]) -> frozenset[str]:
    """Label keys the recorded series must keep besides job and instance: the panel's by and match keys,
    and every dashboard variable the metric carries (so `$store` still filters)."""
    return frozenset([*panel.by, *panel.match, *(k for k in variables if k in metric_keys)])


def _name(sel: str | SelectorSpec) -> str:
    return sel if isinstance(sel, str) else sel.metric


def _same_kind(panel: PanelSpec, rule: RecordingRuleSpec) -> bool:
    if panel.kind == "quantiles":
        return rule.histogram == panel.metric and set(panel.quantiles) <= set(rule.quantiles)
    if panel.kind == "ratio" and rule.ratio is not None and panel.over is not None:
        return (_name(rule.ratio.errors), _name(rule.ratio.total)) == (panel.metric, panel.over.metric) \
            and not panel.match and not panel.over.match
    return False


def recording_for(panel: PanelSpec, rules: Sequence[RecordingRuleSpec], metric_keys: Collection[str],
                  variables: Sequence[str]) -> RecordingRuleSpec | None:
    """The per_instance recording_rules entry whose series this panel can read, or None."""
    keys = wanted_keys(panel, metric_keys, variables)
    return next((r for r in rules if r.per_instance and panel.recorded in r.windows and frozenset(r.by) == keys
                 and _same_kind(panel, r)), None)


def suggestion(panel: PanelSpec, metric_keys: Collection[str], variables: Sequence[str]) -> str:
    """The recording_rules entry that would serve the panel, as YAML flow text."""
    by = ", ".join(sorted(wanted_keys(panel, metric_keys, variables)))
    if panel.kind == "quantiles":
        what = f"histogram: {panel.metric}, quantiles: [{', '.join(f'{q:g}' for q in panel.quantiles)}]"
    else:
        what = f"ratio: {{errors: {panel.metric}, total: {panel.over.metric if panel.over else '?'}}}"
    return f"{{{what}, by: [{by}], per_instance: true, windows: [{panel.recorded}]}}"
