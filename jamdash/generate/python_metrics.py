"""Generator of generated/python/<service>_metrics.py: the typed metrics module for host apps."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from jamdash import conventions
from jamdash.generate.header import header_text
from jamdash.generate.render import py_string, py_string_wrapped, py_tuple, render, wrapped
from jamdash.model import Model
from jamdash.model.metrics import Label, Metric

PATH = "python/{service}_metrics.py"
_CLASSES = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram"}
PRIVATE_ATTRIBUTES = {  # the prometheus_client attributes each _Lean class of the template reads
    "Counter": ("_value",),
    "Gauge": ("_value", "_is_most_recent"),
    "Histogram": ("_buckets", "_upper_bounds", "_sum"),
}
_DOC_WIDTH = 88
_ARG_INDENT = 12  # constructor arguments inside <Service>Metrics.__init__
_LABELLED_ARG_INDENT = 16  # ... and inside its LabelledMetric(...) calls


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _alias_name(label: Label) -> str:
    return _camel(label.key)


def _label_const(label: Label) -> str:
    return "_" + label.key.upper()


def _key_type(metric: Metric) -> str:
    types = [_alias_name(label) if label.closed else "str" for label in metric.labels]
    return types[0] if len(types) == 1 else f"tuple[{', '.join(types)}]"


def _args(metric: Metric, indent: int) -> list[str]:
    args = [py_string(metric.name), py_string_wrapped(metric.help, indent)]
    if metric.labels:
        args.append(py_tuple([py_string(n) for n in metric.label_names]))
    args.append("registry=registry")
    if metric.unit:
        args.append(f"unit={py_string(metric.unit)}")
    if metric.type == "histogram":
        args.append("buckets=(" + ", ".join(_number(b) for b in metric.buckets) + ")")
    if metric.type == "gauge" and metric.multiprocess_mode:
        args.append(f"multiprocess_mode={py_string(metric.multiprocess_mode)}")
    return args


def docstring_body(text: str, indent: str = "    ") -> str:
    """Text for a triple-quoted docstring, wrapped, closing quotes on their own line if long."""
    text = text.replace('"""', "'''")
    lines = textwrap.wrap(text, _DOC_WIDTH)
    if len(lines) <= 1:
        return text
    return ("\n" + indent).join(lines) + "\n" + indent


def _doc(metric: Metric) -> str:
    doc = metric.help
    if metric.labels:
        doc += f" Labels: {', '.join(metric.label_names)}."
    if metric.deprecated:
        doc += f" Deprecated: {metric.deprecated.reason}"
    return docstring_body(doc)


def _metric_view(metric: Metric) -> dict[str, Any]:
    cls = _CLASSES[metric.type]
    labelled = bool(metric.labels) and not metric.synthetic
    return {
        "name": metric.name,
        "synthetic": metric.synthetic,
        "labelled": labelled,
        "cls": cls,
        "args": _args(metric, _LABELLED_ARG_INDENT if labelled else _ARG_INDENT),
        "annotation": f"LabelledMetric[{_key_type(metric)}, {cls}]" if labelled else cls,
        "label_consts": py_tuple([_label_const(label) for label in metric.labels]),
        "doc": _doc(metric),
    }


def _label_view(label: Label) -> dict[str, str]:
    const = _label_const(label)
    opening = f"{const} = _Label({py_string(label.name)}, {py_string(label.overflow)}, "
    if label.closed:
        bound = wrapped("frozenset({", [py_string(v) for v in label.values], "})", len(opening) + 1)
    else:
        bound = f"max_values={label.max_values}, max_length={label.max_length}"
    return {"const": const, "expr": opening + bound + ")"}


def _alias_view(label: Label) -> dict[str, str]:
    name = _alias_name(label)
    return {
        "name": name,
        "literal": wrapped("Literal[", [py_string(v) for v in label.values], "]", len(name) + 3),
        "doc": docstring_body(label.help or f"Values of the '{label.name}' label.", ""),
    }


def _lean_view(classes: list[str], labelled: bool) -> dict[str, str]:
    """The prometheus_client classes the module subclasses, the private attributes they read, and
    the updates they leave to prometheus_client's own methods."""
    attributes = sorted({name for cls in classes for name in PRIVATE_ATTRIBUTES[cls]})
    stock = [
        *(["labelled parents"] if labelled else []),
        *(["exemplars"] if {"Counter", "Histogram"} & set(classes) else []),
        *(["negative increments"] if "Counter" in classes else []),
        *(["the ``mostrecent`` gauge modes"] if "Gauge" in classes else []),
    ]
    noun = "attribute " if len(attributes) == 1 else "attributes "
    return {"classes": _and(classes), "attributes": noun + _and([f"``{name}``" for name in attributes]),
            "stock": _and(stock)[0].upper() + _and(stock)[1:]}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _example(metrics: list[Metric]) -> dict[str, str]:
    metric = next((m for m in metrics if m.type == "counter" and not m.synthetic), metrics[0])
    index = ""
    if metric.labels:
        values = [py_string(label.values[0] if label.closed else "example") for label in metric.labels]
        index = "[" + ", ".join(values) + "]"
    return {"name": metric.name, "index": index, "op": "observe(0.5)" if metric.type == "histogram" else "inc()"}


def _renamed(model: Model) -> dict[str, Metric]:
    """Deprecated metrics with renamed_to, by name, mapped to their new metric. The module does not
    export them (Prometheus records the old name from the new one, see compat_rules); the old
    attribute stays as the new metric's object when both have the same type and labels."""
    return {rule.old: model.metric(rule.new) for rule in model.rules.compat}


def _rename_view(old: Metric, new: Metric) -> dict[str, Any]:
    reason = (old.deprecated.reason if old.deprecated else "").rstrip(".")
    return {"old": old.name, "new": new.name, "annotation": _metric_view(new)["annotation"],
            "doc": docstring_body(f"Deprecated: {reason}. The same object as ``{new.name}``, "
                                  "which Prometheus records under this old name too.")}


def class_name(model: Model) -> str:
    return conventions.camel(model.service) + "Metrics"


def module_name(model: Model) -> str:
    return f"{model.service}_metrics"


def generate(model: Model) -> Iterator[tuple[str, str]]:
    renamed = _renamed(model)
    exported = [m for m in model.metrics if m.name not in renamed]
    used = {label.key: label for m in exported if not m.synthetic for label in m.labels}
    overflow = model.metric(conventions.overflow_metric_name(model.service)) if used else None
    classes = sorted({_CLASSES[m.type] for m in exported})
    text = render(
        "service_metrics.py.j2",
        header=header_text(model.spec_path),
        service=model.service,
        spec_path=model.spec_path,
        module_name=module_name(model),
        class_name=class_name(model),
        series_budget=model.total_series,
        example=_example(exported),
        aliases=[_alias_view(label) for label in model.labels if label.key in used and label.closed],
        labels=[_label_view(label) for label in model.labels if label.key in used],
        bounded=any(not label.closed for label in used.values()),
        metrics=[_metric_view(m) for m in exported],
        renamed=[_rename_view(model.metric(old), new) for old, new in renamed.items()
                 if new.type == model.metric(old).type and new.labels == model.metric(old).labels],
        classes=classes,
        lean=_lean_view(classes, bool(used)),
        overflow={"name": overflow.name, "args": _args(overflow, _ARG_INDENT)} if overflow else None,
    )
    yield PATH.format(service=model.service), text


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
