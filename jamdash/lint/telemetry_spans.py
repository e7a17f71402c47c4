"""Rules on the telemetry section's spans, status block, health and per-process constants."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.lint.telemetry_events import check_label_ref, label_values
from jamdash.spec.telemetry import ChildSpanSpec, SpanSpec

_CHILD = re.compile(r"^[a-z][a-z0-9_]*$")
SPAN_OPS = {"inc": "counter", "observe": "histogram"}


def _span(ctx: LintContext, path: tuple[str | int, ...], name: str, span: ChildSpanSpec) -> Iterator[Finding]:
    constants = set(ctx.spec.telemetry.constants) if ctx.spec.telemetry else set()
    fixed: dict[str, str] = {}
    for attr_name, attr in span.attributes.items():
        apath = (*path, "attributes", attr_name)
        what = f"attribute '{attr_name}' of span '{name}'"
        if attr.label:
            values = [attr.value] if attr.value is not None else None
            findings = list(check_label_ref(ctx, apath, attr.label, attr.kind, None, what))
            yield from findings
            if not findings and values and attr.value not in (label_values(ctx, attr.label) or ()):
                yield ctx.at((*apath, "value"), codes.TELEMETRY_LABEL_VALUES,
                             f"{what} is fixed to '{attr.value}', which label '{attr.label}' does not declare")
            if attr.value is not None:
                fixed[attr.label] = attr.value
        elif attr.value is not None:
            yield ctx.at((*apath, "value"), codes.TELEMETRY_FIELD_KIND, f"{what}: only label attributes can be fixed")
    for i, link in enumerate(span.metrics):
        lpath = (*path, "metrics", i)
        metric = ctx.spec.metrics.get(link.metric)
        if metric is None:
            yield ctx.at((*lpath, "metric"), codes.METRIC_LINK_UNKNOWN,
                         f"span '{name}' updates '{link.metric}', which is not declared under 'metrics'")
            continue
        if metric.type != SPAN_OPS[link.op] or (link.op == "observe" and metric.unit != "seconds"):
            yield ctx.at((*lpath, "op"), codes.METRIC_LINK_OP, f"a span can only inc a counter (on success) or observe "
                         f"its duration into a histogram in seconds; '{link.metric}' is a {metric.type}")
        for key in metric.labels:
            if key not in constants and key not in fixed:
                yield ctx.at((*lpath, "metric"), codes.METRIC_LINK_LABEL,
                             f"'{link.metric}' needs label '{key}'; a span's metric labels must be per-process "
                             f"constants or fixed attribute values, so the span costs no lookup")


def spans(ctx: LintContext) -> Iterator[Finding]:
    if ctx.spec.telemetry is None:
        return
    prefix = ctx.spec.service + "."
    for name, span in ctx.spec.telemetry.spans.items():
        path = ("telemetry", "spans", name)
        parts = name.split(".")
        if not name.startswith(prefix) or not all(_CHILD.match(p) for p in parts) or len(parts) < 2:
            yield ctx.at_key(path, codes.SPAN_NAME, f"span '{name}' must be '{prefix}' followed by dotted snake_case words")
        yield from _span(ctx, path, name, span)
        if isinstance(span, SpanSpec):
            for child, spec in span.children.items():
                cpath = (*path, "children", child)
                if not _CHILD.match(child):
                    yield ctx.at_key(cpath, codes.SPAN_NAME, f"child span '{child}' must be one snake_case word")
                yield from _span(ctx, cpath, f"{name}.{child}", spec)


def status(ctx: LintContext) -> Iterator[Finding]:
    tel = ctx.spec.telemetry
    if tel is None:
        return
    for name, field in tel.status.items():
        path = ("telemetry", "status", name)
        if field.type == "enum" and not field.label:
            yield ctx.at_key(path, codes.STATUS_FIELD, f"status field '{name}' is an enum: give it the 'label' it takes")
        if field.label and field.type != "enum":
            yield ctx.at((*path, "label"), codes.STATUS_FIELD, f"status field '{name}': only enum fields take a label")
        if field.label and field.label not in ctx.spec.labels:
            yield ctx.at((*path, "label"), codes.TELEMETRY_UNKNOWN_LABEL,
                         f"status field '{name}' names label '{field.label}', which is not declared under 'labels'")
        if field.metric:
            metric = ctx.spec.metrics.get(field.metric)
            if metric is None or metric.type != "gauge" or metric.labels or field.type == "enum":
                yield ctx.at((*path, "metric"), codes.STATUS_FIELD,
                             f"status field '{name}' can only mirror a declared gauge without labels, and only "
                             f"for a bool or int field; '{field.metric}' is not one")
    for i, key in enumerate(tel.constants):
        if not any(f.label == key for f in tel.status.values()):
            yield ctx.at(("telemetry", "constants", i), codes.TELEMETRY_CONSTANT,
                         f"constant '{key}' is read from the status configuration at start-up: add a status field "
                         f"with 'label: {key}'")
    if tel.health and tel.health.cleanup_event not in tel.events:
        yield ctx.at(("telemetry", "health", "cleanup_event"), codes.HEALTH_CLEANUP_EVENT,
                     f"health.cleanup_event '{tel.health.cleanup_event}' is not a declared event")
    if tel.health and "cleanup_enabled" not in tel.status:
        yield ctx.at_key(("telemetry", "health"), codes.HEALTH_CLEANUP_EVENT,
                         "health checks cleanup only when it is enabled: declare the status field 'cleanup_enabled'")


RULES = (spans, status)
