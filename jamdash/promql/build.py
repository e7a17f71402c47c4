"""Small builders for PromQL text; names come from jamdash.conventions, never typed here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_REGEX_SPECIAL = re.compile(r"[\\.+*?()|\[\]{}^$]")


def number(value: float) -> str:
    """A float literal as short as it reads: 0.05, 1, 2.5, 1e-06."""
    text = f"{value:.15g}"
    return text


def quote(value: str) -> str:
    """A label value as a PromQL string literal: the one escaping of label values, for dashboards,
    rules, rule tests and docs alike. ``v1.2"`` becomes ``"v1.2\\""``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def regex_union(values: Iterable[str]) -> str:
    """A regex (RE2, anchored by Prometheus) matching exactly these values: ``a|b\\.c``; quote() it."""
    return "|".join(_REGEX_SPECIAL.sub(lambda m: "\\" + m.group(), value) for value in values)


def matcher(label: str, values: Sequence[str]) -> str:
    """label="v" for one value, label=~"a|b" for several."""
    if len(values) == 1:
        return f"{label}={quote(values[0])}"
    return f"{label}=~{quote(regex_union(values))}"


def label_set(labels: Iterable[tuple[str, str]]) -> str:
    """{k1="v1", k2="v2"}: the labels in the order given."""
    return "{" + ", ".join(f"{key}={quote(value)}" for key, value in labels) + "}"


def selector(metric: str, match: Mapping[str, str] | None = None) -> str:
    if not match:
        return metric
    return metric + label_set(sorted(match.items()))


def labels_list(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def aggregate(op: str, by: Sequence[str], inner: str) -> str:
    return f"{op} by ({labels_list(by)}) ({inner})"


def call(function: str, *args: str) -> str:
    return f"{function}({', '.join(args)})"


def range_call(function: str, series: str, window: str) -> str:
    """rate(x[5m]), increase(x[1h]) ..."""
    return f"{function}({series}[{window}])"


def on(labels: Sequence[str]) -> str:
    return f"on ({labels_list(labels)})"
