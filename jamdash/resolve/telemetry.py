"""resolve the telemetry section: fields, spans and status linked to the resolved labels and metrics."""

from __future__ import annotations

from jamdash import conventions
from jamdash.model.metrics import Label, Metric
from jamdash.resolve.metrics import resolve_deprecation
from jamdash.spec.common import duration_seconds
from jamdash.spec.telemetry import (
    AttributeSpec, ChildSpanSpec, EventSpec, MetricUpdateSpec, SpanSpec, TelemetrySpec,
)
from jamdash.model.telemetry import (
    Condition, Event, EventField, EventParam, Health, LabelSource, MetricUpdate, Span, SpanAttribute,
    StatusField, Telemetry,
)


def _field(name: str, raw_kind: str, spec: EventSpec, labels: dict[str, Label], constants: set[str]) -> EventField:
    raw = spec.fields[name]
    label = labels.get(raw.label) if raw.label else None
    constant = label is not None and label.key in constants
    values = tuple(raw.values) if raw.values is not None else (label.values if label else ())
    argument = conventions.secret_argument(name) if raw_kind == "secret" else name
    return EventField(name, "" if constant else argument, raw.kind, raw.help.strip(), raw.optional, label,
                      values, tuple(raw.keys or ()), constant, resolve_deprecation(raw.deprecated))


def _event_update(raw: MetricUpdateSpec, fields: tuple[EventField, ...], params: tuple[EventParam, ...],
                  metrics: dict[str, Metric], constants: set[str]) -> MetricUpdate:
    metric = metrics[raw.metric]
    by_name = {f.name: f for f in fields}
    sources = []
    for label in metric.labels:
        ref = raw.labels.get(label.key)
        if ref is None and label.key in constants:
            sources.append(LabelSource(label, "constant", label.key))
            continue
        if ref is None:
            ref = next(f.name for f in fields if f.label and f.label.key == label.key and not f.constant) \
                if any(f.label and f.label.key == label.key and not f.constant for f in fields) \
                else next(p.name for p in params if p.label.key == label.key)
        sources.append(LabelSource(label, "argument", by_name[ref].argument if ref in by_name else ref))
    value: tuple[str, ...] = ()
    value_kind = ""
    if raw.value:
        field_name, _, key = raw.value.partition(".")
        value = (by_name[field_name].argument, key) if key else (by_name[field_name].argument,)
        value_kind = by_name[field_name].kind
    when = None
    if raw.when:
        when = Condition(by_name[raw.when.field].argument, raw.when.present, tuple(raw.when.values or ()))
    return MetricUpdate(metric, raw.op, tuple(sources), value, value_kind, when)


def _event(name: str, spec: EventSpec, labels: dict[str, Label], metrics: dict[str, Metric],
           constants: set[str]) -> Event:
    fields = tuple(_field(f, spec.fields[f].kind, spec, labels, constants) for f in spec.fields)
    params = tuple(EventParam(p, raw.help.strip(), raw.optional, labels[raw.label]) for p, raw in spec.params.items())
    updates = tuple(_event_update(u, fields, params, metrics, constants) for u in spec.metrics)
    return Event(name, spec.help.strip(), spec.level, fields, params, updates, resolve_deprecation(spec.deprecated))


def _attribute(service: str, name: str, raw: AttributeSpec, labels: dict[str, Label],
               constants: set[str]) -> SpanAttribute:
    label = labels.get(raw.label) if raw.label else None
    constant = label is not None and label.key in constants and raw.value is None
    return SpanAttribute(name, conventions.span_attribute_key(service, name), raw.kind, raw.help.strip(), label,
                         label.values if label else (), raw.value, constant)


def _span(service: str, name: str, short: str, raw: ChildSpanSpec, labels: dict[str, Label],
          metrics: dict[str, Metric], constants: set[str]) -> Span:
    attributes = tuple(_attribute(service, a, spec, labels, constants) for a, spec in raw.attributes.items())
    updates = []
    for link in raw.metrics:
        metric = metrics[link.metric]
        sources = []
        for label in metric.labels:
            fixed = next((a.fixed for a in attributes if a.label == label and a.fixed is not None), None)
            sources.append(LabelSource(label, "fixed", fixed) if fixed is not None
                           else LabelSource(label, "constant", label.key))
        updates.append(MetricUpdate(metric, link.op, tuple(sources), (), "", None))
    children: tuple[Span, ...] = ()
    if isinstance(raw, SpanSpec):
        children = tuple(_span(service, conventions.child_span_name(name, c), c, child, labels, metrics, constants)
                         for c, child in raw.children.items())
    return Span(name, short, raw.help.strip(), attributes, tuple(updates), children)


def resolve_telemetry(service: str, spec: TelemetrySpec, labels: dict[str, Label],
                      metrics: dict[str, Metric]) -> Telemetry:
    constants = set(spec.constants)
    health = (Health(spec.health.cleanup_event, spec.health.cleanup_interval, duration_seconds(spec.health.cleanup_interval),
                     spec.health.cleanup_grace, duration_seconds(spec.health.cleanup_grace))
              if spec.health is not None else None)
    return Telemetry(
        logger=spec.logger or service,
        hash_key_env=spec.hash_key_env or f"{service.upper()}_LOG_HASH_KEY",
        hash_length=spec.hash_length,
        tracing_env=spec.tracing_env or f"{service.upper()}_TRACING",
        identifier_max=spec.identifier_max,
        error_text_max=spec.error_text_max,
        constants=tuple(labels[key] for key in spec.constants),
        events=tuple(_event(n, spec.events[n], labels, metrics, constants) for n in spec.events),
        spans=tuple(_span(service, n, conventions.span_method(service, n), spec.spans[n], labels, metrics, constants)
                    for n in spec.spans),
        status=tuple(StatusField(n, raw.type, raw.help.strip(), labels.get(raw.label) if raw.label else None,
                                 metrics.get(raw.metric) if raw.metric else None) for n, raw in spec.status.items()),
        health=health,
    )
