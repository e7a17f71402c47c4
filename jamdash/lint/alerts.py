"""Rules on the alerting, alerts, recording_rules and slo sections: references, intents and links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jamdash import codes, conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.spec.alerts import AlertSpec, RecordingRuleSpec
from jamdash.spec.common import duration_ms
from jamdash.spec.intents import Selector, SelectorSpec

CAMEL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
INTENTS = ("ratio", "rate", "increase", "gauge", "quantile", "target_down", "absent", "expr")
# Which metric type each intent field needs.
NEEDS = {("ratio", "errors"): "counter", ("ratio", "total"): "counter", ("rate", "metric"): "counter",
         ("increase", "metric"): "counter", ("gauge", "metric"): "gauge", ("gauge", "relative_to"): "gauge",
         ("quantile", "histogram"): "histogram", ("absent", "metric"): None}


def _metric(ctx: LintContext, name: str, path: Path, kind: str | None) -> Iterator[Finding]:
    metric = ctx.spec.metrics.get(name)
    if metric is None:
        if not ctx.is_dropped(("metrics", name)):
            yield ctx.at(path, codes.ALERT_METRIC, f"'{name}' is not a declared metric")
    elif kind and metric.type != kind:
        yield ctx.at(path, codes.ALERT_METRIC, f"'{name}' is a {metric.type}; this needs a {kind}")


def _labels(ctx: LintContext, metric: str, keys: list[str], path: Path) -> Iterator[Finding]:
    declared = ctx.spec.metrics.get(metric)
    if declared is None:
        return
    for i, key in enumerate(keys):
        if key not in declared.labels:
            yield ctx.at((*path, i), codes.ALERT_LABEL, f"'{key}' is not a label of {metric} "
                                                    f"(it has: {', '.join(declared.labels) or 'none'})")


def _selector(ctx: LintContext, sel: Selector, path: Path, kind: str | None, by: list[str],
              by_path: Path) -> Iterator[Finding]:
    name = sel.metric if isinstance(sel, SelectorSpec) else sel
    yield from _metric(ctx, name, (*path, "metric") if isinstance(sel, SelectorSpec) else path, kind)
    yield from _labels(ctx, name, by, by_path)
    if isinstance(sel, SelectorSpec):
        yield from _labels(ctx, name, list(sel.match), (*path, "match"))
        for key, value in sel.match.items():
            label = ctx.spec.labels.get(key)
            if label and label.values is not None and value not in label.values:
                yield ctx.at((*path, "match", key), codes.ALERT_LABEL,
                             f"'{value}' is not a value of label '{key}' ({', '.join(label.values)})")


def _intent(ctx: LintContext, name: str, alert: AlertSpec) -> Iterator[Finding]:
    path: Path = ("alerts", name)
    present = [k for k in INTENTS if getattr(alert, k) is not None]
    if len(present) != 1:
        yield ctx.at_key(path, codes.ALERT_INTENT, f"alert {name} needs exactly one of {', '.join(INTENTS)}"
                                               f"{' (it has ' + ', '.join(present) + ')' if present else ''}")
        return
    kind = present[0]
    intent = getattr(alert, kind)
    for (k, field), needs in NEEDS.items():
        value = getattr(intent, field, None) if k == kind else None
        if value is not None:
            by = getattr(intent, "by", [])
            yield from _selector(ctx, value, (*path, kind, field), needs, by if field != "relative_to" else [],
                                 (*path, kind, "by"))
    if kind == "expr" and not any(t.fires for t in alert.tests):
        yield ctx.at_key(path, codes.ALERT_UNTESTED, f"alert {name} is a raw expr without a test that fires; add one "
                                                 "under 'tests' with fires: true, labels and value")
    for i, test in enumerate(alert.tests):
        if test.fires and test.value is None:
            yield ctx.at(((*path, "tests", i)), codes.ALERT_UNTESTED, f"test '{test.name}' fires but gives no 'value' "
                                                                  "to render the annotations with")
    if alert.tests and kind != "expr":
        yield ctx.at_key((*path, "tests"), codes.ALERT_INTENT, "tests are for raw exprs; jamdash writes the tests of "
                                                           "an intent itself")


def alerts(ctx: LintContext) -> Iterator[Finding]:
    spec = ctx.spec
    if (spec.alerts or spec.slo) and spec.alerting is None:
        yield ctx.at_key(("alerts",) if spec.alerts else ("slo",), codes.ALERTING_MISSING,
                         "alerts need an 'alerting' section with the runbook_url pattern")
    if spec.alerting and not any(p in spec.alerting.runbook_url for p in ("{anchor}", "{alert}")):
        yield ctx.at(("alerting", "runbook_url"), codes.RUNBOOK_URL_PATTERN,
                     "runbook_url must contain {anchor} or {alert}, so each alert links to its own runbook section")
    prefix = conventions.camel(spec.service)
    for name, alert in spec.alerts.items():
        rest = name.removeprefix(prefix)
        if not (name.startswith(prefix) and CAMEL_CASE.match(rest)):
            yield ctx.at_key(("alerts", name), codes.ALERT_NAME, f"alert name '{name}' must be CamelCase and start "
                                                                f"with '{prefix}' (e.g. {prefix}TargetDown)")
        yield from _intent(ctx, name, alert)


def _recording_kind(raw: RecordingRuleSpec) -> list[str]:
    return [k for k in ("rate", "increase", "ratio", "histogram") if getattr(raw, k) is not None]


def recording_rules(ctx: LintContext) -> Iterator[Finding]:
    for i, raw in enumerate(ctx.spec.recording_rules):
        path: Path = ("recording_rules", i)
        kinds = _recording_kind(raw)
        if len(kinds) != 1:
            yield ctx.at(path, codes.RECORDING_RULE_KIND, "a recording rule needs exactly one of rate, increase, ratio "
                                                      "and histogram")
            continue
        if (kinds[0] == "histogram") != bool(raw.quantiles):
            yield ctx.at(path, codes.RECORDING_RULE_KIND, "quantiles go with histogram, and histogram needs quantiles")
        pairs: list[tuple[Selector, Path, str]] = [(raw.rate or raw.increase or raw.histogram or "", (*path, kinds[0]),
                                                    "histogram" if raw.histogram else "counter")]
        if raw.ratio:
            pairs = [(raw.ratio.errors, (*path, "ratio", "errors"), "counter"),
                     (raw.ratio.total, (*path, "ratio", "total"), "counter")]
            if any(isinstance(s, SelectorSpec) for s in (raw.ratio.errors, raw.ratio.total)):
                yield ctx.at((*path, "ratio"), codes.RECORDING_RULE_KIND, "a recorded ratio takes plain metric names; "
                                                                      "narrow the recorded series when you query it")
        for sel, where, kind in pairs:
            yield from _selector(ctx, sel, where, kind, raw.by, (*path, "by"))


def slos(ctx: LintContext) -> Iterator[Finding]:
    for i, slo in enumerate(ctx.spec.slo):
        path: Path = ("slo", i)
        for field in ("errors", "total"):
            yield from _metric(ctx, getattr(slo, field), (*path, field), "counter")
            yield from _labels(ctx, getattr(slo, field), slo.by, (*path, "by"))
        period = duration_ms(slo.period)
        for j, window in enumerate(slo.windows):
            if period % (window.period_divisor * window.short_divisor):
                yield ctx.at((*path, "windows", j), codes.SLO_WINDOWS,
                             f"{slo.period} does not divide into whole milliseconds by {window.period_divisor} × "
                             f"{window.short_divisor}; pick a period or divisors that do")


RULES = (alerts, recording_rules, slos)
