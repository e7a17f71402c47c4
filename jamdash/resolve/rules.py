"""resolve (rules): build the recording rules and alerts of a lint-clean spec from their intents."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jamdash import conventions
from jamdash.model.deployment import Deployment
from jamdash.model.metrics import Label
from jamdash.promql.build import target_matcher
from jamdash.promql import build as q
from jamdash.promql.template import humanize_duration
from jamdash.resolve.recorder import Recorder
from jamdash.resolve.routing import resolve_routing
from jamdash.resolve.slo import resolve_slo
from jamdash.model.rules import Alert, Intent, RawSeries, RawTest, RuleSet, Sel
from jamdash.findings import NOWHERE, Position
from jamdash.load.source import SourceMap
from jamdash.spec import Spec
from jamdash.spec.alerts import AlertSpec
from jamdash.spec.intents import Selector, SelectorSpec

INTENT_KINDS = ("ratio", "rate", "increase", "gauge", "quantile", "target_down", "absent")
_PARAM = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def resolve_rules(spec: Spec, source: SourceMap, labels: Mapping[str, Label], recorder: Recorder,
                  target: Deployment) -> RuleSet:
    """The recording rules and alerts; the recorder keeps the recorded series for the dashboards to read."""
    for i, raw in enumerate(spec.recording_rules):
        recorder.from_spec(raw, lambda keys: _names(keys, labels), source.value(("recording_rules", i)))
    alerts = [_alert(name, raw, spec, source, labels, recorder, target) for name, raw in sorted(spec.alerts.items())]
    slos = []
    for i, raw_slo in enumerate(spec.slo):
        slo, slo_alerts = resolve_slo(raw_slo, spec, source.key(("slo", i)), _names(raw_slo.by, labels), recorder,
                                      lambda raw: _sel(raw, labels))
        slos.append(slo)
        alerts.extend(slo_alerts)
    routing = resolve_routing(spec.alerting, spec.service, target, alerts, recorder.cluster or None) if alerts else None
    return RuleSet(recording=recorder.rules(), alerts=tuple(alerts), slos=tuple(slos),
                   scrape_interval=spec.scrape_interval, service=spec.service, routing=routing)


def _names(keys: list[str] | tuple[str, ...], labels: Mapping[str, Label]) -> tuple[str, ...]:
    return tuple(labels[key].name if key in labels else key for key in keys)


def _sel(raw: Selector, labels: Mapping[str, Label]) -> Sel:
    if isinstance(raw, SelectorSpec):
        return Sel(raw.metric, tuple(sorted((_names([k], labels)[0], v) for k, v in raw.match.items())))
    return Sel(raw)


def intent_of(raw: AlertSpec, labels: Mapping[str, Label], recorder: Recorder,
              tests_at: Callable[[int], Position] = lambda i: NOWHERE) -> Intent:
    """The resolved intent of an alert (kind 'expr' for a raw expression); tests_at(i) is where its
    i-th raw test stands in the spec."""
    if raw.ratio:
        r = raw.ratio
        return Intent("ratio", _names(r.by, labels), r.window, r.above, r.min_total_rate,
                      errors=_sel(r.errors, labels), total=_sel(r.total, labels))
    if raw.rate:
        return Intent("rate", _names(raw.rate.by, labels), raw.rate.window, raw.rate.above,
                      metric=_sel(raw.rate.metric, labels))
    if raw.increase:
        i = raw.increase
        return Intent("increase", _names(i.by, labels), i.window, i.above, metric=_sel(i.metric, labels))
    if raw.gauge:
        g = raw.gauge
        return Intent("gauge", _names(g.by, labels), above=g.above, metric=_sel(g.metric, labels),
                      aggregate=g.aggregate or recorder.combine(_sel(g.metric, labels).metric),
                      relative_to=g.relative_to)
    if raw.quantile:
        h = raw.quantile
        return Intent("quantile", _names(h.by, labels), h.window, h.above, h.min_rate, metric=Sel(h.histogram),
                      quantile=h.quantile)
    if raw.target_down:
        return Intent("target_down", ("instance",))
    if raw.absent:
        return Intent("absent", metric=Sel(raw.absent.metric))
    tests = tuple(RawTest(t.name, t.interval, t.eval_time, tuple(RawSeries(s.series, s.values) for s in t.series),
                          t.fires, tuple(sorted(t.labels.items())), t.value, tests_at(i))
                  for i, t in enumerate(raw.tests))
    return Intent("expr", raw_tests=tests)


def raw_values(target: Deployment) -> dict[str, str]:
    """What a raw expr's $job and $selector stand for: the selector's job value and its matchers."""
    jobs = [m.value for m in target.selector if m.label == "job" and m.op == "="]
    return {**({"job": jobs[0]} if jobs else {}), "selector": ", ".join(target_matcher(m) for m in target.selector)}


def expression(intent: Intent, target: Deployment, recorder: Recorder, raw_expr: str = "",
               params: Mapping[str, float | str] | None = None, position: Position = NOWHERE) -> str:
    """The alert expression of an intent, over recorded series where a rate is involved.

    position is where the intent's window stands in the spec: findings about the recorded series
    it asks for point there."""
    select = target.selector
    keep = recorder.keep(intent.by)
    if intent.kind == "ratio":
        assert intent.errors and intent.total
        errors = recorder.rate_of(intent.errors, intent.by, intent.window, position)
        total = recorder.rate_of(intent.total, intent.by, intent.window, position)
        return (f"{errors} / {q.on(keep)} {total} > {q.number(intent.above)}"
                f" and {q.on(keep)} {total} >= {q.number(intent.min_rate)}")
    if intent.kind in ("rate", "increase"):
        assert intent.metric
        if intent.kind == "rate":
            return f"{recorder.rate_of(intent.metric, intent.by, intent.window, position)} > {q.number(intent.above)}"
        # increase() extrapolates (one event reads as 1.02): rounded, the value and the threshold count whole events.
        events = q.call("round", recorder.increase_of(intent.metric, intent.by, intent.window, position))
        return f"{events} > {q.number(intent.above)}"
    if intent.kind == "gauge":
        assert intent.metric
        value = q.aggregate(intent.aggregate, keep, q.selector(intent.metric.metric, intent.metric.match_dict, select))
        if intent.relative_to:
            outer = recorder.keep(())
            cap = q.aggregate(recorder.combine(intent.relative_to), outer, q.selector(intent.relative_to, target=select))
            value += f" / {q.on(outer)} group_left {cap}"
        return f"{value} > {q.number(intent.above)}"
    if intent.kind == "quantile":
        assert intent.metric
        quantile = recorder.quantile(intent.metric.metric, intent.quantile, intent.by, intent.window, position)
        count = recorder.rate(conventions.histogram_series_name(intent.metric.metric, "count"), intent.by,
                              intent.window, position)
        return (f"{quantile} > {q.number(intent.above)}"
                f" and {q.on(keep)} {count} >= {q.number(intent.min_rate)}")
    if intent.kind == "target_down":
        return f"{q.selector('up', target=select)} == 0"
    if intent.kind == "absent":
        assert intent.metric
        return q.call("absent", q.selector(intent.metric.metric, target=select))
    values = {**raw_values(target), **{k: (q.number(v) if isinstance(v, float | int) else v) for k, v in (params or {}).items()}}
    return re.sub(r"\$([a-z_][a-z0-9_]*)", lambda m: str(values.get(m.group(1), m.group(0))), raw_expr.strip())


def output_labels(intent: Intent, target: Deployment, recorder: Recorder) -> tuple[str, ...]:
    """The labels of the expression's series, known from the intent (raw exprs: from the checker)."""
    if intent.kind == "target_down":
        cluster = (recorder.cluster,) if recorder.cluster else ()
        return tuple(sorted({"instance", *cluster, *(k for k, _ in target.test_labels)}))
    if intent.kind == "absent":
        return target.equal_labels
    if intent.kind == "expr":
        return ()
    return recorder.keep(intent.by)


def parameters(intent: Intent, raw: AlertSpec, target: Deployment) -> dict[str, str]:
    """Spec values an annotation may name as {window}, {above}, ..."""
    values: dict[str, str] = {"for": raw.for_, **raw_values(target), "severity": raw.severity}
    if intent.window:
        values["window"] = intent.window
    if intent.kind != "expr":
        values["above"] = q.number(intent.above)
        if intent.kind == "ratio" or intent.relative_to:
            values["above_percent"] = f"{intent.above * 100:g}%"
    if intent.min_rate:
        values["min_rate"] = q.number(intent.min_rate)
    if intent.quantile:
        values["quantile"] = q.number(intent.quantile)
        values["percentile"] = f"p{conventions.quantile_digits(intent.quantile)}"
        values["above_duration"] = humanize_duration(intent.above)
    for key, value in raw.params.items():
        values[key] = q.number(value) if isinstance(value, float | int) else value
        if isinstance(value, float | int):
            values[f"{key}_duration"] = humanize_duration(float(value))
    return values


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put spec parameters into an annotation; unknown {names} stay for the checker to report."""
    return _PARAM.sub(lambda m: values.get(m.group(1), m.group(0)), text.strip())


def _alert(name: str, raw: AlertSpec, spec: Spec, source: SourceMap, labels: Mapping[str, Label],
           recorder: Recorder, target: Deployment) -> Alert:
    alerting = spec.alerting
    intent = intent_of(raw, labels, recorder, lambda i: source.value(("alerts", name, "tests", i)))
    values = parameters(intent, raw, target)
    keeps = output_labels(intent, target, recorder)
    annotations = {"summary": fill(raw.summary, values),
                   # a raw expression keeps the cluster label too: promql/fleet.py checks every aggregation
                   "description": conventions.in_cluster(fill(raw.description, values), recorder.cluster,
                                                         keeps if intent.kind != "expr" else (recorder.cluster,)),
                   "runbook_url": conventions.runbook_url(alerting.runbook_url if alerting else "", name)}
    if raw.dashboard:
        annotations["dashboard_url"] = (alerting.grafana_url.rstrip("/") if alerting else "") + \
            conventions.dashboard_path(raw.dashboard, spec.service)
    kind_key = next((k for k in INTENT_KINDS if getattr(raw, k) is not None), "expr")
    return Alert(
        name=name, group=conventions.rule_group(spec.service, "alerts"),
        expr=expression(intent, target, recorder, raw.expr or "", raw.params,
                        source.value(("alerts", name, kind_key, "window"))),
        for_=raw.for_, severity=raw.severity,
        labels=tuple(sorted({**raw.labels, "severity": raw.severity}.items())),
        annotations=tuple(sorted(annotations.items())),
        output_labels=keeps, intent=intent, summary=annotations["summary"],
        dashboard=raw.dashboard, runbook=raw.runbook.strip(), position=source.key(("alerts", name)),
        expr_position=source.value(("alerts", name, kind_key)),
    )
