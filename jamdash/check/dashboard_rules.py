"""grafana/dashboard-linter's rules, under its ids, over a dashboard's JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from jamdash import codes
from jamdash.promql import walk as w
from jamdash.findings import ERROR, WARNING
from jamdash.spec.grafana_units import UNITS

QUERY_PANELS = ("stat", "singlestat", "graph", "table", "timeseries", "gauge", "heatmap")
UNIT_PANELS = ("stat", "singlestat", "graph", "table", "timeseries", "gauge")
TEMPLATED = ("$datasource", "${datasource}")


class Issue(NamedTuple):
    """One rule violation in a dashboard; panel is the panel's id, None for the dashboard itself."""

    rule: str
    panel: int | None
    message: str
    severity: str = ERROR


def _variables(d: dict[str, Any]) -> list[dict[str, Any]]:
    return list(d.get("templating", {}).get("list", []))


def _ds_uid(ref: Any) -> str:
    return str(ref.get("uid", "")) if isinstance(ref, dict) else str(ref or "")


def template_datasource(d: dict[str, Any]) -> Iterator[Issue]:
    found = [v for v in _variables(d) if v.get("type") == "datasource"]
    if not found:
        yield Issue(codes.TEMPLATE_DATASOURCE, None, "has no templated data source: add a 'datasource' variable")
    for v in found:
        if v.get("name") not in ("datasource", "prometheus_datasource"):
            yield Issue(codes.TEMPLATE_DATASOURCE, None, f"data source variable is named '{v.get('name')}'; name it 'datasource'")
        if v.get("query") != "prometheus":
            yield Issue(codes.TEMPLATE_DATASOURCE, None, f"data source variable lists '{v.get('query')}', not 'prometheus'")
        if v.get("label") != "Data source":
            yield Issue(codes.TEMPLATE_DATASOURCE, None, f"data source variable is labelled '{v.get('label')}', "
                        "should be 'Data source'", WARNING)


_TEMPLATE_CODES = {"job": codes.TEMPLATE_JOB, "instance": codes.TEMPLATE_INSTANCE}
_TARGET_CODES = {"job": codes.TARGET_JOB, "instance": codes.TARGET_INSTANCE}


def _target_template(d: dict[str, Any], name: str) -> Iterator[Issue]:
    rule = _TEMPLATE_CODES[name]
    var = next((v for v in _variables(d) if v.get("name") == name), None)
    if var is None:
        yield Issue(rule, None, f"is missing the {name} template variable")
        return
    if _ds_uid(var.get("datasource")) not in TEMPLATED:
        yield Issue(rule, None, f"{name} variable should use datasource '${{datasource}}', not '{_ds_uid(var.get('datasource'))}'")
    if var.get("type") != "query":
        yield Issue(rule, None, f"{name} variable should be a Prometheus query, is '{var.get('type')}'")
    if var.get("label") != name.title():
        yield Issue(rule, None, f"{name} variable should be labelled '{name.title()}', is '{var.get('label')}'", WARNING)
    if not var.get("multi"):
        yield Issue(rule, None, f"{name} variable should be a multi select")
    if not var.get("includeAll"):
        yield Issue(rule, None, f"{name} variable should offer an All value (includeAll)")
    if var.get("allValue") != ".+":
        yield Issue(rule, None, f"{name} variable allValue should be '.+', is '{var.get('allValue')}'")


def template_job(d: dict[str, Any]) -> Iterator[Issue]:
    return _target_template(d, "job")


def template_instance(d: dict[str, Any]) -> Iterator[Issue]:
    return _target_template(d, "instance")


def panels(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in d.get("panels", []):
        yield p
        yield from p.get("panels", [])  # panels inside a collapsed row


def panel_datasource(p: dict[str, Any]) -> Iterator[Issue]:
    if p.get("type") not in QUERY_PANELS:
        return
    uids = [_ds_uid(p.get("datasource"))] + [_ds_uid(t["datasource"]) for t in p.get("targets", []) if "datasource" in t]
    for uid in dict.fromkeys(uids):
        if uid not in TEMPLATED:
            yield Issue(codes.PANEL_DATASOURCE, p.get("id"), f"does not use the templated datasource, uses '{uid}'")


def panel_units(p: dict[str, Any]) -> Iterator[Issue]:
    if p.get("type") == "heatmap":
        unit = p.get("options", {}).get("yAxis", {}).get("unit", "")
    elif p.get("type") in UNIT_PANELS:
        unit = p.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
    else:
        return
    if unit not in UNITS:
        yield Issue(codes.PANEL_UNITS, p.get("id"), f"has no or invalid units defined: '{unit}'")


def panel_title_description(p: dict[str, Any]) -> Iterator[Issue]:
    if p.get("type") in QUERY_PANELS and not (str(p.get("title", "")).strip() and str(p.get("description", "")).strip()):
        yield Issue(codes.PANEL_TITLE_DESCRIPTION, p.get("id"), "has a missing title or description")


def panel_no_targets(p: dict[str, Any]) -> Iterator[Issue]:
    if p.get("type") in QUERY_PANELS and not p.get("targets"):
        yield Issue(codes.PANEL_NO_TARGETS, p.get("id"), "has no targets")


def _parsed(p: dict[str, Any]) -> Iterator[tuple[int, str, w.Node]]:
    for i, t in enumerate(p.get("targets", [])):
        try:
            yield i, t.get("expr", ""), w.parse(t.get("expr", ""))
        except ValueError:
            continue  # target-promql reports it


def target_promql(p: dict[str, Any]) -> Iterator[Issue]:
    for i, t in enumerate(p.get("targets", [])):
        try:
            w.parse(t.get("expr", ""))
        except ValueError as exc:
            yield Issue(codes.TARGET_PROMQL, p.get("id"), f"target {i} '{t.get('expr', '')}' is not valid PromQL: {exc}")


def target_rate_interval(p: dict[str, Any]) -> Iterator[Issue]:
    for i, expr, node in _parsed(p):
        for n, parents in w.walk(node):
            if (w.is_matrix(n) and parents and w.call_name(parents[-1]) in ("rate", "irate")
                    and not w.is_range_variable(n.range)):
                yield Issue(codes.TARGET_RATE_INTERVAL, p.get("id"), f"target {i} '{expr}' should use $__rate_interval")


def target_counter_agg(p: dict[str, Any]) -> Iterator[Issue]:
    for i, expr, node in _parsed(p):
        for sel, parents in w.selectors(node):
            name = w.selector_name(sel) or ""
            ok = (len(parents) >= 2 and w.is_matrix(parents[-1])
                  and w.call_name(parents[-2]) in ("rate", "irate", "increase"))
            if name.endswith("_total") and not ok:
                yield Issue(codes.TARGET_COUNTER_AGG, p.get("id"),
                            f"target {i}: counter '{name}' is not aggregated with rate, irate or increase")


def _required_matcher(label: str) -> Callable[[dict[str, Any]], Iterator[Issue]]:
    wanted = (f"${label}", f"${{{label}}}")

    def rule(p: dict[str, Any]) -> Iterator[Issue]:
        for i, expr, node in _parsed(p):
            for sel, _ in w.selectors(node):
                if not w.regex_values(sel, label) & set(wanted):
                    yield Issue(_TARGET_CODES[label], p.get("id"),
                                f"target {i}: selector '{sel}' has no {label}=~\"${label}\" matcher")
    return rule


target_job = _required_matcher("job")
target_instance = _required_matcher("instance")

DASHBOARD_RULES = (template_datasource, template_job, template_instance)
PANEL_RULES = (panel_datasource, panel_units, panel_title_description, panel_no_targets, target_promql,
               target_rate_interval, target_counter_agg, target_job, target_instance)


def lint_dashboard(d: dict[str, Any]) -> list[Issue]:
    issues = [issue for rule in DASHBOARD_RULES for issue in rule(d)]
    issues += [issue for p in panels(d) for rule in PANEL_RULES for issue in rule(p)]
    return issues
