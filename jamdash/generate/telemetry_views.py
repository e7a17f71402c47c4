"""Flat views of the telemetry model for the service_telemetry template: Python signatures and expressions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from jamdash.generate.python_metrics import docstring_body
from jamdash.generate.render import py_string, py_tuple
from jamdash.model.metrics import Label
from jamdash.model.telemetry import Event, EventField, MetricUpdate, Span, SpanAttribute
from jamdash.record import frozen

def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace(".", "_").split("_"))


def label_type(label: Label) -> str:
    """The Python type of a label value: its Literal alias in the metrics module, or str."""
    return camel(label.key) if label.closed else "str"


def values_const(owner: str) -> str:
    """The frozenset of allowed values: owner is a label key, or event_field for an enum of its own."""
    return "_" + owner.upper() + "_VALUES"


def field_values_const(event: Event, field: EventField) -> str:
    return values_const(field.label.key if field.label else f"{event.name}_{field.name}")


def enum_alias(event: Event, field: EventField) -> str:
    return label_type(field.label) if field.label else camel(event.name) + camel(field.name)


def counts_type(field: EventField) -> str:
    return camel(field.name)


def _field_type(event: Event, field: EventField) -> str:
    kind = field.kind
    base = {
        "identifier": "str",
        "secret": "str | bytes",
        "count": counts_type(field) if field.keys else "int",
        "size": "int | Blob",
        "duration_ms": "float",
        "timestamp": "float | datetime",
        "error_text": "str | BaseException",
    }.get(kind) or enum_alias(event, field)
    return base


def signature(event: Event) -> list[str]:
    """Keyword-only parameters: logged fields (constants aside), then metric-only params."""
    out = []
    for field in event.fields:
        if field.constant:
            continue
        kind_type = _field_type(event, field)
        out.append(f"{field.argument}: {kind_type} | None = None" if field.optional else f"{field.argument}: {kind_type}")
    for param in event.params:
        kind_type = label_type(param.label)
        out.append(f"{param.name}: {kind_type} | None = None" if param.optional else f"{param.name}: {kind_type}")
    return out


def _logged(event: Event, field: EventField, settings_store: str) -> str:
    arg = field.argument
    if field.constant:
        return f"self._{field.label.key}" if field.label else settings_store
    expr = {
        "identifier": f"_text({arg}, IDENTIFIER_MAX)",
        "secret": f"self._hash({arg})",
        "count": arg,
        "size": arg,
        "duration_ms": f"_ms({arg})",
        "timestamp": f"_timestamp({arg})",
        "error_text": _error_expr(event, arg),
        "enum": f"{arg} if {arg} in {field_values_const(event, field)} else "
                f"{py_string(field.label.overflow if field.label else 'other')}",
    }[field.kind]
    if field.optional and field.kind == "enum":
        return expr.replace(" if ", f" if {arg} is None or ", 1)
    if field.optional:
        return f"None if {arg} is None else {expr}"
    return expr


def _error_expr(event: Event, arg: str) -> str:
    """Error text with the request's secrets, and the event's own, redacted."""
    own = [f.argument for f in event.fields if f.kind == "secret" and not f.optional]
    return f"_error({', '.join([arg, *own])})"


def record(event: Event) -> list[dict[str, object]]:
    """The JSON record's entries; a count mapping lists its keys, so only declared keys are logged."""
    return [{"key": py_string(f.name), "expr": _logged(event, f, ""),
             "items": [(py_string(k), f"{f.argument}[{py_string(k)}]") for k in f.keys]} for f in event.fields]


def prelude(event: Event) -> list[str]:
    """Statements before the metric updates: secrets are checked, so a bad one raises before
    anything is counted; sizes are measured once, the body is never kept."""
    lines = []
    for f in event.fields:
        if f.kind == "secret" and not f.optional:
            lines += [f"if not isinstance({f.argument}, (str, bytes)):",
                      f"    raise TypeError(f\"{f.argument} must be str or bytes, not "
                      f"{{type({f.argument}).__name__}}\")"]
    return lines + [f"{f.argument} = _size({f.argument})" for f in event.fields
                    if f.kind == "size" and not f.optional]


@frozen
class Binding:
    """A metric child (or family) the Telemetry object binds once at start-up."""

    attribute: str
    expression: str
    annotation: str

    @property
    def line(self) -> str:
        return assignment(f"self.{self.attribute}: {self.annotation}", self.expression, 8)


def binding(update: MetricUpdate) -> Binding:
    metric = update.metric
    fixed = [s.ref for s in update.labels if s.origin == "fixed"]
    per_call = any(s.origin == "argument" for s in update.labels)
    attribute = "_" + "_".join([metric.name, *fixed]) + ("_family" if per_call else "")
    cls = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram"}[metric.type]
    if per_call or not metric.labels:
        return Binding(attribute, f"metrics.{metric.name}", f"LabelledMetric[Any, {cls}]" if per_call else cls)
    key = ", ".join(s.ref if s.origin == "constant" else py_string(s.ref) for s in update.labels)
    return Binding(attribute, f"metrics.{metric.name}[{key}]", cls)


def target(update: MetricUpdate) -> str:
    bound = binding(update)
    if not bound.attribute.endswith("_family"):
        return f"self.{bound.attribute}"
    key = ", ".join(f"self._{s.ref}" if s.origin == "constant" else s.ref if s.origin == "argument" else py_string(s.ref)
                    for s in update.labels)
    return f"self.{bound.attribute}[{key}]"


def _value(update: MetricUpdate) -> str:
    if not update.value:
        return ""
    arg = update.value[0] if len(update.value) == 1 else f"{update.value[0]}[{py_string(update.value[1])}]"
    if update.value_kind == "duration_ms" and update.metric.unit == "seconds":
        return f"{arg} / 1000"
    return arg


def statement(update: MetricUpdate) -> str:
    op = update.op
    return f"{target(update)}.{op}({_value(update)})"


def condition(update: MetricUpdate) -> str | None:
    """The update's ``when``; a duration is observed only when finite (NaN would poison the sum)."""
    finite = f"isfinite({update.value[0]})" if update.op == "observe" and update.value_kind == "duration_ms" else None
    when = update.when
    if when is None:
        return finite
    if when.values:
        if len(when.values) == 1:
            test = f"{when.argument} == {py_string(when.values[0])}"
        else:
            test = f"{when.argument} in ({', '.join(py_string(v) for v in when.values)})"
    else:
        test = f"{when.argument} is {'not ' if when.present else ''}None"
    return test if finite is None else f"{test} and {finite}"


def update_doc(update: MetricUpdate) -> str:
    amount = {"inc": "+= " + (".".join(update.value) or "1"), "dec": "-= " + (".".join(update.value) or "1"),
              "set": "= " + ".".join(update.value), "observe": "observes " + (".".join(update.value) or "its duration"),
              "set_to_current_time": "= now"}[update.op]
    text = f"``{update.metric.name}`` {amount}"
    when = update.when
    if when:
        text += (f" when {when.argument} is {' or '.join(when.values)}" if when.values
                 else f" when {when.argument} is {'set' if when.present else 'None'}")
    return text


def doc(paragraphs: Sequence[str | list[str]], indent: str = "        ") -> str:
    """A docstring body of wrapped paragraphs; a list paragraph keeps one entry per line."""
    blocks = [("\n" + indent).join(docstring_body(line, indent + "    ").rstrip() for line in p)
              if isinstance(p, list) else docstring_body(p, indent).rstrip() for p in paragraphs]
    text = ("\n\n" + indent).join(blocks)
    return text + "\n" + indent if "\n" in text else text


def grouped(updates: tuple[MetricUpdate, ...]) -> list[dict[str, object]]:
    """Consecutive updates under the same condition share one ``if``."""
    out: list[dict[str, object]] = []
    for update in updates:
        cond = condition(update)
        if out and out[-1]["condition"] == cond:
            cast(list[str], out[-1]["statements"]).append(statement(update))
        else:
            out.append({"condition": cond, "statements": [statement(update)]})
    return out


def attribute_expr(attr: SpanAttribute) -> str:
    if attr.fixed is not None:
        return py_string(attr.fixed)
    if attr.constant and attr.label:
        return f"self._{attr.label.key}"
    return {"identifier": f"_text({attr.name}, IDENTIFIER_MAX)", "size": f"_size({attr.name})"}.get(attr.kind, attr.name)


def attribute_param(attr: SpanAttribute) -> str | None:
    if attr.fixed is not None or attr.constant:
        return None
    kind_type = {"identifier": "str", "count": "int", "size": "int | Blob"}.get(attr.kind) or (
        label_type(attr.label) if attr.label else "str")
    return f"{attr.name}: {kind_type}"


def span_histogram(span: Span) -> str:
    observes = [u for u in span.updates if u.op == "observe"]
    return f"self.{binding(observes[0]).attribute}" if observes else "None"


def span_counters(span: Span) -> str:
    counters = [f"self.{binding(u).attribute}" for u in span.updates if u.op == "inc"]
    return py_tuple(counters) if counters else "()"


WIDTH = 99
"""Longest line of the generated module."""


def call(func: str, args: list[str | list[tuple[str, str]]], indent: int, lead: int = 0) -> str:
    """A call on one line when it fits (lead: columns before it on its line), else one argument per line.

    An argument given as (key, value) pairs is a dict display, itself split when it does not fit.
    """
    flat = [a if isinstance(a, str) else "{" + ", ".join(f"{k}: {v}" for k, v in a) + "}" for a in args]
    one = f"{func}({', '.join(flat)})"
    if indent + lead + len(one) <= WIDTH and "\n" not in one:
        return one
    pad = " " * (indent + 4)
    lines = []
    for arg, text in zip(args, flat):
        if isinstance(arg, str) or len(pad) + len(text) + 1 <= WIDTH:
            lines.append(f"{pad}{text},")
        else:
            lines += [pad + "{", *(f"{pad}    {k}: {v}," for k, v in arg), pad + "},"]
    return func + "(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def assignment(target: str, value: str, indent: int) -> str:
    """target = value, the value in parentheses on its own line when the whole does not fit."""
    if indent + len(target) + 3 + len(value) <= WIDTH:
        return f"{target} = {value}"
    return f"{target} = (\n{' ' * (indent + 4)}{value}\n{' ' * indent})"


def entry(key: str, value: str, indent: int) -> str:
    """A dict entry "key": value, with the value wrapped in parentheses when it does not fit."""
    if indent + len(key) + 2 + len(value) + 1 <= WIDTH:
        return f"{key}: {value}"
    return f"{key}: (\n{' ' * (indent + 4)}{value}\n{' ' * indent})"
