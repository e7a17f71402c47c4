"""Generator of generated/docs/runbooks.md: one section per alert, its anchor the runbook_url's."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import conventions
from jamdash.generate.docs_metrics import metric_link, metrics_by_alert
from jamdash.generate.header import header_text
from jamdash.model import Model
from jamdash.model.deployment import Deployment
from jamdash.model.rules import Alert, Intent
from jamdash.promql.build import label_set
from jamdash.promql.selector import text as selector_text

PATH = "docs/runbooks.md"


def targets(deployment: Deployment) -> str:
    """The service's targets in words: job `shop`, or the targets {job=~"shop-.*", namespace="x"}."""
    only = deployment.selector
    if len(only) == 1 and only[0].label == "job" and only[0].op == "=":
        return f"job `{only[0].value}`"
    return f"the targets `{selector_text(only)}`"


def condition(intent: Intent, targets: str, cluster: str = "") -> str:
    """When the alert fires, in words."""
    per = ", ".join(conventions.aggregation_labels(intent.by, cluster))
    if intent.kind == "ratio" and intent.errors and intent.total:
        return (f"`{intent.errors.metric}` is more than {intent.above:.4g} of `{intent.total.metric}`"
                f"{_match(intent.total.match)} over {intent.window} (per {per}), while the total is at least "
                f"{intent.min_rate:g}/s.")
    if intent.kind in ("rate", "increase") and intent.metric:
        what = "per-second rate" if intent.kind == "rate" else "increase"
        return f"the {what} of `{intent.metric.metric}`{_match(intent.metric.match)} over {intent.window} " \
               f"(per {per}) is above {intent.above:g}."
    if intent.kind == "gauge" and intent.metric:
        cap = f" as a share of `{intent.relative_to}`" if intent.relative_to else ""
        return f"the {intent.aggregate} of `{intent.metric.metric}` (per {per}){cap} is above {intent.above:g}."
    if intent.kind == "quantile" and intent.metric:
        return (f"the {intent.quantile:g} quantile of `{intent.metric.metric}` over {intent.window} (per {per}) is "
                f"above {intent.above:g}, with at least {intent.min_rate:g} observations/s.")
    if intent.kind == "target_down":
        return f"a target of {targets} cannot be scraped (`up` is 0)."
    if intent.kind == "absent" and intent.metric:
        return f"no `{intent.metric.metric}` series exist for {targets}."
    if intent.kind == "slo":
        return "the error ratio exceeds the burn-rate threshold over both a long and a short window."
    return "the expression below returns a series."


def _match(match: tuple[tuple[str, str], ...]) -> str:
    return label_set(match) if match else ""


def section(rules: list[Alert], model: Model, metrics: list[str] | None = None) -> str:
    """One alert's section; an SLO alert has one rule (expression and notification) per window pair."""
    alert = rules[0]
    annotations = alert.annotation_dict
    links = f" · **Dashboard:** [{alert.dashboard}]({annotations['dashboard_url']})" if alert.dashboard else ""
    lines = [
        f"## {alert.name}",
        "",
        f"**Severity:** {alert.severity} · **For:** {alert.for_}{links}",
        "",
        alert.summary,
        "",
        f"**Fires when** {condition(alert.intent, targets(model.deployment), model.fleet.cluster_label)}",
        "",
        *([f"**Metrics:** {', '.join(metric_link(m) for m in metrics)}", ""] if metrics else []),
    ]
    for rule in rules:
        lines += ["```promql", rule.expr, "```", "", f"**Notification:** {rule.annotation_dict['description']}", ""]
    if alert.slo:
        lines += ["| alert | long window | short window | burn factor | error-ratio threshold |",
                  "|---|---|---|---|---|"]
        lines += [f"| {w.alert} | {w.long} | {w.short} | {w.factor:g}× | {w.threshold:.6g} |"
                  for w in alert.slo.windows]
        lines.append("")
    lines += ["### What to do", "", alert.runbook or "_No runbook steps in the spec yet._", ""]
    return "\n".join(lines)


def generate(model: Model) -> Iterator[tuple[str, str]]:
    named: dict[str, list[Alert]] = {}
    for rule in model.rules.alerts:
        named.setdefault(rule.name, []).append(rule)
    alerts = [rules[0] for _, rules in sorted(named.items())]
    if not alerts:
        return
    reads = metrics_by_alert(model)  # each metric links to its entry in the catalogue, metrics.md
    parts = [
        f"<!-- {header_text(model.spec_path)} -->",
        f"# {model.title} alert runbooks",
        "",
        "One section per alert; each alert's `runbook_url` annotation links to its heading here.",
        "",
        *(f"- [{a.name}](#{conventions.alert_anchor(a.name)}) ({a.severity}): {a.summary}" for a in alerts),
        "",
        *(section(named[a.name], model, reads.get(a.name)) for a in alerts),
    ]
    yield PATH, "\n".join(parts)
