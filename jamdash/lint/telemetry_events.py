"""Rules on the telemetry section's log events: field kinds, label cross-checks and the metrics link."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator

from jamdash import codes
from jamdash import conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.spec.telemetry import EventSpec, FieldSpec, MetricUpdateSpec

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
# Telemetry methods an event helper must not shadow.
RESERVED_NAMES = frozenset({"health", "status_block", "incoming", "inject", "tracing"})
OPS_BY_TYPE = {"counter": {"inc"}, "gauge": {"inc", "dec", "set", "set_to_current_time"}, "histogram": {"observe"}}
NUMERIC_KINDS = {"count", "size", "duration_ms"}


def label_values(ctx: LintContext, key: str) -> tuple[str, ...] | None:
    """The label's closed values, or None for a bounded (open) label."""
    label = ctx.labels[key]
    return label.values if label.closed else None


def check_label_ref(ctx: LintContext, path: tuple[str | int, ...], key: str, kind: str,
                    values: list[str] | None, what: str) -> Iterator[Finding]:
    """A field or attribute naming a label: the label exists and they share its declared values."""
    if key not in ctx.spec.labels:
        known = ", ".join(sorted(ctx.spec.labels)) or "none declared"
        yield ctx.at((*path, "label"), codes.TELEMETRY_UNKNOWN_LABEL, f"{what} names label '{key}', which is not declared "
                     f"under 'labels' (declared: {known})")
        return
    declared = label_values(ctx, key)
    if declared is None and kind != "identifier":
        yield ctx.at((*path, "kind"), codes.TELEMETRY_LABEL_VALUES,
                     f"{what} names the bounded label '{key}', so its kind must be 'identifier', not '{kind}'")
    if declared is not None and kind != "enum":
        yield ctx.at((*path, "kind"), codes.TELEMETRY_LABEL_VALUES,
                     f"{what} names the closed label '{key}', so its kind must be 'enum', not '{kind}'")
    if declared is not None and values is not None and tuple(values) != declared:
        yield ctx.at((*path, "values"), codes.TELEMETRY_LABEL_VALUES,
                     f"{what} names label '{key}' but lists values [{', '.join(values)}]; the label declares "
                     f"[{', '.join(declared)}]. Drop 'values' to take the label's")


def _field(ctx: LintContext, event: str, name: str, field: FieldSpec) -> Iterator[Finding]:
    path = ("telemetry", "events", event, "fields", name)
    what = f"field '{name}' of event '{event}'"
    if not _SNAKE.match(name) or keyword.iskeyword(name):
        yield ctx.at_key(path, codes.TELEMETRY_NAME, f"{what}: names must be snake_case and not a Python keyword")
    if field.kind == "secret" and not name.endswith(conventions.SECRET_SUFFIX):
        yield ctx.at_key(path, codes.SECRET_FIELD_NAME, f"{what} is a secret: it is logged only as a hash, so name it "
                         f"'{name}{conventions.SECRET_SUFFIX}' (the helper then takes '{name}')")
    if field.label:
        yield from check_label_ref(ctx, path, field.label, field.kind, field.values, what)
    elif field.kind == "enum" and not field.values:
        yield ctx.at_key(path, codes.TELEMETRY_FIELD_KIND, f"{what} is an enum: give it 'values' or a 'label'")
    if field.values is not None and field.kind != "enum":
        yield ctx.at((*path, "values"), codes.TELEMETRY_FIELD_KIND, f"{what}: only enum fields have 'values'")
    if field.keys is not None and field.kind != "count":
        yield ctx.at((*path, "keys"), codes.TELEMETRY_FIELD_KIND, f"{what}: only count fields have 'keys'")


def _source_values(ctx: LintContext, event: EventSpec, ref: str) -> tuple[str, ...] | None:
    """The values a field or param can take (None when open)."""
    if ref in event.params:
        key = event.params[ref].label
        return label_values(ctx, key) if key in ctx.spec.labels else None
    field = event.fields[ref]
    if field.values is not None:
        return tuple(field.values)
    return label_values(ctx, field.label) if field.label and field.label in ctx.spec.labels else None


def _label_sources(ctx: LintContext, name: str, event: EventSpec, i: int,
                   update: MetricUpdateSpec) -> Iterator[Finding]:
    path = ("telemetry", "events", name, "metrics", i)
    metric = ctx.spec.metrics[update.metric]
    constants = set(ctx.spec.telemetry.constants) if ctx.spec.telemetry else set()
    for key, mapped in update.labels.items():
        if key not in metric.labels:
            yield ctx.at((*path, "labels", key), codes.METRIC_LINK_LABEL,
                         f"'{update.metric}' has no label '{key}' (its labels: {', '.join(metric.labels) or 'none'})")
        elif mapped not in event.fields and mapped not in event.params:
            yield ctx.at((*path, "labels", key), codes.METRIC_LINK_LABEL,
                         f"event '{name}' has no field or param '{mapped}' to give label '{key}'")
    for key in metric.labels:
        if key not in ctx.spec.labels:
            continue  # reported by undeclared-label
        ref = update.labels.get(key)
        if ref is None and key in constants:
            continue
        if ref is None:
            candidates = [f for f, spec in event.fields.items() if spec.label == key]
            candidates += [p for p, spec in event.params.items() if spec.label == key]
            if len(candidates) != 1:
                problem = "no field or param names" if not candidates else "several fields or params name"
                yield ctx.at((*path, "metric"), codes.METRIC_LINK_LABEL,
                             f"'{update.metric}' needs label '{key}' but {problem} it in event '{name}'; add a "
                             f"param with 'label: {key}' or map it under 'labels'")
                continue
            ref = candidates[0]
        if ref not in event.fields and ref not in event.params:
            continue
        allowed = label_values(ctx, key)
        given = _source_values(ctx, event, ref)
        if update.when and update.when.field == ref and update.when.values:
            given = tuple(update.when.values)
        if allowed is not None and given is not None and not set(given) <= set(allowed):
            extra = sorted(set(given) - set(allowed))
            yield ctx.at((*path, "metric"), codes.METRIC_LINK_LABEL,
                         f"'{ref}' can be {', '.join(extra)}, which label '{key}' of '{update.metric}' does not "
                         f"declare; restrict the update with 'when' or give the field the label's values")


def _update(ctx: LintContext, name: str, event: EventSpec, i: int, update: MetricUpdateSpec) -> Iterator[Finding]:
    path = ("telemetry", "events", name, "metrics", i)
    metric = ctx.spec.metrics.get(update.metric)
    if metric is None:
        yield ctx.at((*path, "metric"), codes.METRIC_LINK_UNKNOWN,
                     f"event '{name}' updates '{update.metric}', which is not declared under 'metrics'")
        return
    if update.op not in OPS_BY_TYPE[metric.type]:
        yield ctx.at((*path, "op"), codes.METRIC_LINK_OP, f"'{update.op}' does not apply to the {metric.type} "
                     f"'{update.metric}' (allowed: {', '.join(sorted(OPS_BY_TYPE[metric.type]))})")
    if update.value is None and update.op in {"set", "observe"}:
        yield ctx.at((*path, "op"), codes.METRIC_LINK_VALUE, f"'{update.op}' needs a 'value': the field giving the amount")
    if update.value is not None:
        field_name, _, key = update.value.partition(".")
        field = event.fields.get(field_name)
        if update.op == "set_to_current_time":
            yield ctx.at((*path, "value"), codes.METRIC_LINK_VALUE, "set_to_current_time takes no 'value'")
        elif field is None or field.kind not in NUMERIC_KINDS or bool(key) != bool(field.keys) or (
                key and key not in (field.keys or [])):
            yield ctx.at((*path, "value"), codes.METRIC_LINK_VALUE,
                         f"'{update.value}' is not a numeric field of event '{name}' (a count, size or duration_ms "
                         "field, or field.key of a count mapping)")
        elif field.kind == "duration_ms" and metric.unit != "seconds":
            yield ctx.at((*path, "value"), codes.METRIC_LINK_VALUE,
                         f"'{update.value}' is in milliseconds; it can only feed a metric with unit seconds")
    if update.when:
        cond = event.fields.get(update.when.field)
        if cond is None:
            yield ctx.at((*path, "when", "field"), codes.METRIC_LINK_WHEN, f"event '{name}' has no field '{update.when.field}'")
        elif update.when.values is not None:
            allowed = _source_values(ctx, event, update.when.field) or ()
            if cond.kind != "enum" or not set(update.when.values) <= set(allowed):
                yield ctx.at((*path, "when", "values"), codes.METRIC_LINK_WHEN,
                             f"'when' values must be among the enum field '{update.when.field}''s values "
                             f"[{', '.join(allowed)}]")
        elif not cond.optional:
            yield ctx.at((*path, "when", "field"), codes.METRIC_LINK_WHEN,
                         f"field '{update.when.field}' is never null; only optional fields can be tested for presence")
    yield from _label_sources(ctx, name, event, i, update)


def events(ctx: LintContext) -> Iterator[Finding]:
    if ctx.spec.telemetry is None:
        return
    for name, event in ctx.spec.telemetry.events.items():
        path = ("telemetry", "events", name)
        if not _SNAKE.match(name) or name in RESERVED_NAMES or name.startswith("span_"):
            yield ctx.at_key(path, codes.TELEMETRY_NAME, f"event name '{name}' must be snake_case, must not start with "
                             f"'span_' and must not be one of {', '.join(sorted(RESERVED_NAMES))}")
        arguments: dict[str, str] = {}
        for field_name, field in event.fields.items():
            yield from _field(ctx, name, field_name, field)
            arg = conventions.secret_argument(field_name) if field.kind == "secret" else field_name
            if arg in arguments:
                yield ctx.at_key((*path, "fields", field_name), codes.TELEMETRY_NAME,
                                 f"field '{field_name}' and field '{arguments[arg]}' would both be argument '{arg}'")
            arguments.setdefault(arg, field_name)
        for param_name, param in event.params.items():
            ppath = (*path, "params", param_name)
            if param_name in arguments:
                yield ctx.at_key(ppath, codes.TELEMETRY_NAME, f"param '{param_name}' clashes with a field's argument")
            if param.label not in ctx.spec.labels:
                yield ctx.at((*ppath, "label"), codes.TELEMETRY_UNKNOWN_LABEL,
                             f"param '{param_name}' names label '{param.label}', which is not declared under 'labels'")
        for i, update in enumerate(event.metrics):
            yield from _update(ctx, name, event, i, update)


RULES = (events,)
