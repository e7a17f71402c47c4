"""Every PromQL text builder, for rules and dashboards alike; names come from jamdash.conventions, never typed here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence


def number(value: float) -> str:
    """A float literal as short as it reads: 0.05, 1, 2.5, 1e-06."""
    text = f"{value:.15g}"
    return text


def selector(metric: str, match: Mapping[str, str] | None = None) -> str:
    """metric{a="x", b="y"}: a rule's selector, its label values escaped, matchers sorted."""
    if not match:
        return metric
    inner = ", ".join(f'{key}="{_escape(value)}"' for key, value in sorted(match.items()))
    return f"{metric}{{{inner}}}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def joined_selector(series: str, matchers: Sequence[str]) -> str:
    """series{m1,m2}: a dashboard's selector from matchers already written, in their order."""
    return f"{series}{{{','.join(matchers)}}}" if matchers else series


def matcher(label: str, values: Sequence[str]) -> str:
    """label="v" for one value, label=~"a|b" for several."""
    if len(values) == 1:
        return f'{label}="{values[0]}"'
    return f'{label}=~"{regex_union(values)}"'


def regex_union(values: Iterable[str]) -> str:
    """Values as one anchored-by-Prometheus regex alternation: a|b|c."""
    return "|".join(re.escape(v) for v in values)


def variable(name: str) -> str:
    """A Grafana template variable reference inside a query: $name."""
    return "$" + name


def variable_matcher(label: str) -> str:
    """label=~"$label": the matcher a template variable of the same name fills in."""
    return f'{label}=~"{variable(label)}"'


def labels_list(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def aggregate(op: str, by: Sequence[str], inner: str) -> str:
    """op by (l1, l2) (inner), or op(inner) without grouping."""
    return f"{op} by ({labels_list(by)}) ({inner})" if by else f"{op}({inner})"


def call(function: str, *args: str) -> str:
    return f"{function}({', '.join(args)})"


def range_call(function: str, series: str, window: str) -> str:
    """rate(x[5m]), increase(x[1h]) ..."""
    return f"{function}({series}[{window}])"


def on(labels: Sequence[str]) -> str:
    return f"on ({labels_list(labels)})"
