"""Generator of generated/python/<service>_telemetry.py: log events, spans, status and health for host apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate import python_metrics
from jamdash.generate import telemetry_views as views
from jamdash.generate.header import header_text
from jamdash.generate.render import py_string, render, wrapped
from jamdash.model import Model
from jamdash.model.telemetry import Event, Span, Telemetry

PATH = "python/{service}_telemetry.py"


def _event_view(event: Event, t: Telemetry) -> dict[str, Any]:
    error = next((f.argument for f in event.fields if f.kind == "error_text" and f.optional), None)
    level = event.level.upper()
    fields = [" ".join([f"``{f.name}``: {f.help}".rstrip(), f.deprecated.sentence()]) if f.deprecated
              else f"``{f.name}``: {f.help}" for f in event.fields]
    paragraphs: list[str | list[str]] = [event.help, fields]
    if event.deprecated:
        paragraphs.insert(1, f"{event.deprecated.sentence()} Log consumers should stop reading it.")
    if event.updates:
        paragraphs.append("Metrics: " + "; ".join(views.update_doc(u) for u in event.updates) + ".")
    return {
        "name": event.name,
        "signature": views.signature(event),
        "doc": views.doc(paragraphs),
        "prelude": views.prelude(event),
        "updates": views.grouped(event.updates),
        "level": f"logging.WARNING if {error} is not None else logging.{level}" if error else f"logging.{level}",
        "record": [{**e, "line": views.entry(str(e["key"]), str(e["expr"]), 12)} for e in views.record(event)],
        "marks_cleanup": t.health is not None and t.health.cleanup_event == event.name,
    }


def _span_view(span: Span, parent: Span | None = None) -> dict[str, Any]:
    params = [p for p in (views.attribute_param(a) for a in span.attributes) if p]
    attributes = [(py_string(a.key), views.attribute_expr(a)) for a in span.attributes]
    cls = views.camel(span.short.removeprefix("span_")) + "Scope"
    histogram, counters = views.span_histogram(span), views.span_counters(span)
    traced_args: list[str | list[tuple[str, str]]] = [
        "self._tracer", py_string(span.name), attributes, "parent" if parent else "None", histogram, counters]
    if span.children:
        on = views.call(cls, ["self", views.call("_Traced", traced_args, 16)], 12, len("return "))
    else:
        on = views.call("_Traced", traced_args, 12, len("return "))
    metric_doc = "; ".join(views.update_doc(u).replace("observes its duration", "observes its duration (s)")
                           for u in span.updates)
    return {
        "name": span.name,
        "method": span.short,
        "cls": cls,
        "on": on,
        "off_timed": views.call("_Timed", [histogram, counters], 8, len("return ")),
        "doc": views.doc([f"``{span.name}``: {span.help}"]
                         + ([f"Metrics, traced or not: {metric_doc}."] if metric_doc else [])),
        "params": params,
        "attributes": attributes,
        "histogram": histogram,
        "counters": counters,
        "timed": bool(span.updates),
        "children": [_span_view(c, span) for c in span.children],
    }


def _bindings(t: Telemetry) -> list[views.Binding]:
    updates = [u for e in t.events for u in e.updates]
    updates += [u for s in t.spans for c in (s, *s.children) for u in c.updates]
    found: dict[str, views.Binding] = {}
    for update in updates:
        bound = views.binding(update)
        found.setdefault(bound.attribute, bound)
    return list(found.values())


def _aliases(t: Telemetry) -> list[dict[str, str]]:
    """Literal aliases of enum fields that do not take a label's values."""
    return [{"name": views.enum_alias(e, f), "doc": f.help,
             "literal": wrapped("Literal[", [py_string(v) for v in f.values], "]", len(views.enum_alias(e, f)) + 3)}
            for e in t.events for f in e.fields if f.kind == "enum" and not f.label]


def _value_sets(t: Telemetry) -> list[dict[str, str]]:
    """The frozensets enum fields and status fields are checked against, once each."""
    found: dict[str, tuple[str, ...]] = {}
    for event in t.events:
        for f in event.fields:
            if f.kind == "enum" and not f.constant:
                found[views.field_values_const(event, f)] = f.values
    for field in t.status:
        if field.label:
            found[views.values_const(field.label.key)] = field.label.values
    return [{"const": const, "members": wrapped("frozenset({", [py_string(v) for v in values], "})", len(const) + 3)}
            for const, values in sorted(found.items())]


def _counts(t: Telemetry) -> list[dict[str, Any]]:
    return [{"name": views.counts_type(f), "fields": f.keys, "doc": f.help}
            for e in t.events for f in e.fields if f.kind == "count" and f.keys]


def _status(t: Telemetry) -> list[dict[str, str]]:
    out = []
    for f in t.status:
        enum = f.type == "enum"
        out.append({
            "name": f.name,
            "type": views.label_type(f.label) if enum and f.label else f.type,
            "config_type": "str" if enum else f.type,
            "allowed": views.values_const(f.label.key) if enum and f.label else "",
            "doc": f.help,
            "gauge": f.metric.name if f.metric else "",
        })
    return out


def _constants(t: Telemetry) -> list[dict[str, str]]:
    """Label values fixed per process, read (and checked) from a status field with that label."""
    return [{"key": lb.key, "type": views.label_type(lb),
             "status": next(f.name for f in t.status if f.label == lb)} for lb in t.constants]


def _features(t: Telemetry, bindings: list[views.Binding]) -> dict[str, Any]:
    """What the module needs, so it defines and imports nothing unused."""
    fields = [f for e in t.events for f in e.fields]
    attributes = [a for s in t.spans for c in (s, *s.children) for a in c.attributes]
    kinds = {f.kind for f in fields} | {a.kind for a in attributes if a.fixed is None and not a.constant}
    spans = bool(t.spans)
    classes = {b.annotation.split(", ")[-1].rstrip("]") for b in bindings} | ({"Counter", "Histogram"} if spans else set())
    typing = ["TYPE_CHECKING"] * bool(classes) + ["Any"] * any("[Any" in b.annotation for b in bindings)
    typing += ["Literal"] * bool(t.health or _aliases(t)) + ["Protocol"] * bool(t.status) + ["Self"]
    typing += ["TypedDict"] * bool(_counts(t) or t.status or t.health) + ["cast"]
    return {
        "secrets": "secret" in kinds,
        "sizes": "size" in kinds,
        "timestamps": "timestamp" in kinds,
        "identifiers": "identifier" in kinds,
        "errors": "error_text" in kinds,
        "durations": "duration_ms" in kinds,
        "text": bool(kinds & {"identifier", "error_text"}),
        "status": bool(t.status),
        "health": t.health is not None,
        "spans": spans,
        "families": any("[Any" in b.annotation for b in bindings),
        "metric_classes": ", ".join(sorted(classes)),
        "abc_imports": ", ".join(["Callable"] * bool(t.health) + ["Mapping", "MutableMapping"]),
        "typing_imports": ", ".join(typing),
    }


def generate(model: Model) -> Iterator[tuple[str, str]]:
    t = model.telemetry
    if t is None:
        return
    label_aliases = sorted({views.label_type(lb) for e in t.events for lb in
                            [*(f.label for f in e.fields if f.label), *(p.label for p in e.params)]
                            if lb.closed} | {views.label_type(lb) for lb in t.constants}
                           | {views.label_type(f.label) for f in t.status if f.label})
    text = render(
        "service_telemetry.py.j2",
        header=header_text(model.spec_path),
        service=model.service,
        spec_path=model.spec_path,
        metrics_module=python_metrics.module_name(model),
        metrics_class=python_metrics.class_name(model),
        t=t,
        label_aliases=label_aliases,
        constants=_constants(t),
        aliases=_aliases(t),
        value_sets=_value_sets(t),
        counts=_counts(t),
        events=[_event_view(e, t) for e in t.events],
        spans=[_span_view(s) for s in t.spans],
        bindings=_bindings(t),
        f=_features(t, _bindings(t)),
        status=_status(t),
    )
    yield PATH.format(service=model.service), text
