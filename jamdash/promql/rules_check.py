"""Generate-time checks of every rule built from the spec, each finding at its place in the spec."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from jamdash import codes
from jamdash.findings import ERROR, WARNING, Finding, Position
from jamdash.model import Model
from jamdash.promql.catalog import SeriesKind, catalog
from jamdash.promql import descriptions
from jamdash.promql.check import check
from jamdash.promql.fleet import dropping
from jamdash.promql.labels import Labels
from jamdash.promql.template import TemplateError, render
from jamdash.model.rules import Alert

RECORD_NAME = re.compile(r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z0-9_]+$")
REQUIRED_ANNOTATIONS = ("summary", "description", "runbook_url")
_LEFTOVER_PARAM = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")
SAMPLE_CLUSTER = "cluster-a"


def check_rules(model: Model) -> list[Finding]:
    series = catalog(model)
    return list(dict.fromkeys([*_recording(model, series), *_alerts(model, series), *_fleet(model)]))


def _fleet(model: Model) -> Iterator[Finding]:
    """With a cluster label, no rule sums or matches two clusters' series together."""
    label = model.fleet.cluster_label
    if not label:
        return
    rules = [(r.position, f"recording rule {r.record}", r.expr) for r in model.rules.recording]
    rules += [(a.expr_position, f"alert {a.name}", a.expr) for a in model.rules.alerts]
    for position, what, expr in rules:
        for part in dropping(expr, label):
            yield _at(model, position, codes.FLEET_CLUSTER_DROPPED,
                      f"{what}: `{part}` aggregates or matches without the cluster label '{label}'; keep it in "
                      "by (...) and on (...)")


def _at(model: Model, pos: Position, rule: str, message: str, severity: str = ERROR) -> Finding:
    return Finding.at(model.source.path, pos, rule, message, severity)


def _recording(model: Model, series: Mapping[str, SeriesKind]) -> Iterator[Finding]:
    for rule in model.rules.recording:
        if not RECORD_NAME.match(rule.record):
            yield _at(model, rule.position, codes.RECORD_NAME, f"recorded name '{rule.record}' is not level:metric:operations")
        _, problems = check(rule.expr, series, model.scrape_interval_seconds)
        for problem in problems:
            yield _at(model, rule.position, problem.rule, f"recording rule {rule.record}: {problem.message}")


def _alerts(model: Model, series: Mapping[str, SeriesKind]) -> Iterator[Finding]:
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for alert in model.rules.alerts:  # an SLO alert has a rule per window pair, told apart by its labels
        if (alert.name, alert.labels) in seen:
            yield _at(model, alert.position, codes.ALERT_DUPLICATE, f"alert {alert.name} is defined twice")
        seen.add((alert.name, alert.labels))
        labels, problems = check(alert.expr, series, model.scrape_interval_seconds)
        for problem in problems:
            yield _at(model, alert.expr_position, problem.rule, f"alert {alert.name}: {problem.message}")
        if labels is None and not problems:
            yield _at(model, alert.expr_position, codes.ALERT_SCALAR, f"alert {alert.name}: the expression is a "
                                                                  "scalar; an alert needs a vector")
        yield from _annotations(model, alert, labels)
        for rule, message in descriptions.problems(alert):
            yield _at(model, alert.position, rule, message, WARNING)
        yield from _raw_tests(model, alert, labels)


def sample_labels(model: Model, names: frozenset[str]) -> dict[str, str]:
    """A plausible value for each label: the sample target's (job, instance, the deployment's test labels,
    the fleet's cluster label), else the label's first declared value."""
    declared = {label.name: label for label in model.labels}
    target = {**dict(model.deployment.test_labels), "instance": model.deployment.instance}
    if model.fleet.cluster_label:
        target[model.fleet.cluster_label] = SAMPLE_CLUSTER
    out = {}
    for name in sorted(names):
        label = declared.get(name)
        if name in target:
            out[name] = target[name]
        elif label and label.values:
            out[name] = label.values[0]
        else:
            out[name] = "example"
    return out


def _annotations(model: Model, alert: Alert, labels: Labels) -> Iterator[Finding]:
    annotations = alert.annotation_dict
    for name in REQUIRED_ANNOTATIONS:
        if not annotations.get(name):
            yield _at(model, alert.position, codes.ALERT_ANNOTATION_MISSING, f"alert {alert.name} has no '{name}' annotation")
    sample = sample_labels(model, labels or frozenset())
    for name, text in sorted(annotations.items()):
        leftover = _LEFTOVER_PARAM.findall(text)
        if leftover:
            yield _at(model, alert.position, codes.ALERT_ANNOTATION_PARAM,
                      f"alert {alert.name}: {name} names unknown parameter(s) {', '.join('{' + x + '}' for x in leftover)}")
        try:
            render(text, sample, 1.0)
        except TemplateError as exc:
            yield _at(model, alert.position, codes.ALERT_ANNOTATION_TEMPLATE, f"alert {alert.name}: {name}: {exc}")


def _raw_tests(model: Model, alert: Alert, labels: Labels) -> Iterator[Finding]:
    if alert.intent.kind != "expr":
        return
    for test in (t for t in alert.intent.raw_tests if t.fires):
        given = frozenset(k for k, _ in test.labels)
        if labels is not None and given != labels:
            yield _at(model, alert.position, codes.ALERT_TEST_LABELS,
                      f"alert {alert.name}: test '{test.name}' expects labels {sorted(given)}, but the expression "
                      f"yields {sorted(labels)}")
