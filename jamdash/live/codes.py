"""The rule ids of `jamdash check`, each with what it checks: one table, ids stable and never reused."""

from __future__ import annotations

from collections.abc import Callable

from jamdash.findings import ERROR, Finding, Position

Found = Callable[[str, str], Finding]  # (rule, message) -> a finding at one place in the spec

# One exposition (`--metrics-url`, or a registry in a service's tests) against the spec.
METRIC_MISSING = "live-metric-missing"
METRIC_UNDECLARED = "live-metric-undeclared"
TYPE = "live-type"
UNIT = "live-unit"
SUFFIX = "live-suffix"
BUCKETS = "live-buckets"
LABEL_UNDECLARED = "live-label-undeclared"
LABEL_MISSING = "live-label-missing"
LABEL_VALUE = "live-label-value"
LABEL_CARDINALITY = "live-label-cardinality"
SERIES_BUDGET = "live-series-budget"
MAX_SERIES = "live-max-series"
# A running Prometheus (`--prometheus-url`) against the spec and the rules it generates.
GROUP_MISSING = "live-group-missing"
GROUP_STALE = "live-group-stale"
RULE_MISSING = "live-rule-missing"
RULE_UNDECLARED = "live-rule-undeclared"
RULE_CHANGED = "live-rule-changed"
RULE_UNHEALTHY = "live-rule-unhealthy"
SERIES_ABSENT = "live-series-absent"
RECORDED_ABSENT = "live-recorded-absent"
ALERT_ACTIVE = "live-alert-active"

RULES: dict[str, str] = {
    METRIC_MISSING: "Every metric the generated module exports is exposed.",
    METRIC_UNDECLARED: "Every exposed metric with the service's prefix is declared in the spec.",
    TYPE: "A metric's `# TYPE` is the declared type.",
    UNIT: "A metric's `# UNIT` (OpenMetrics) is the declared unit.",
    SUFFIX: "Series carry their type's suffixes: `_total` for counters, `_bucket`/`_sum`/`_count` for histograms.",
    BUCKETS: "A histogram's bucket bounds are the spec's.",
    LABEL_UNDECLARED: "Series carry no label the metric does not declare.",
    LABEL_MISSING: "Series carry every label the metric declares.",
    LABEL_VALUE: "A closed label takes only its declared values and its overflow value.",
    LABEL_CARDINALITY: "A bounded label takes at most `max_values` distinct values besides its overflow value.",
    SERIES_BUDGET: "A metric has no more series than its budget (per target, in Prometheus).",
    MAX_SERIES: "The service's metrics have no more series than `max_series` in all.",
    GROUP_MISSING: "Prometheus has loaded every generated rule group.",
    GROUP_STALE: "Prometheus holds no group of the service that the spec no longer generates.",
    RULE_MISSING: "A loaded group holds every rule generated for it.",
    RULE_UNDECLARED: "A loaded group holds no rule the spec does not generate.",
    RULE_CHANGED: "A loaded rule has the generated expression, `for`, labels and annotations.",
    RULE_UNHEALTHY: "Every loaded rule of the service evaluates without error.",
    SERIES_ABSENT: "Every metric the generated module exports has series in Prometheus for the job.",
    RECORDED_ABSENT: "Every recorded series that alerts, dashboards or other rules read has series.",
    ALERT_ACTIVE: "Information: an alert of the service is pending or firing.",
}


def finding(spec_path: str, pos: Position, rule: str, message: str, severity: str = ERROR) -> Finding:
    """A finding of one of the rules above, at a position in the spec."""
    if rule not in RULES:
        raise KeyError(f"undeclared rule id {rule}")
    return Finding.at(spec_path, pos, rule, message, severity)
