"""Small builders for PromQL text; names come from jamdash.conventions, never typed here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jamdash.model.deployment import Matcher
from jamdash.promql.selector import render


def number(value: float) -> str:
    """A float literal as short as it reads: 0.05, 1, 2.5, 1e-06."""
    text = f"{value:.15g}"
    return text


def selector(metric: str, match: Mapping[str, str] | None = None, target: Sequence[Matcher] = ()) -> str:
    """metric{<target matchers>, key="value", ...}: the deployment's target selector first, then match sorted."""
    parts = [render(m) for m in target] + [f'{key}="{_escape(value)}"' for key, value in sorted((match or {}).items())]
    if not parts:
        return metric
    return f"{metric}{{{', '.join(parts)}}}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


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
