"""Small builders for PromQL text; names come from jamdash.conventions, never typed here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def number(value: float) -> str:
    """A float literal as short as it reads: 0.05, 1, 2.5, 1e-06."""
    text = f"{value:.15g}"
    return text


def selector(metric: str, match: Mapping[str, str] | None = None) -> str:
    if not match:
        return metric
    inner = ", ".join(f'{key}="{_escape(value)}"' for key, value in sorted(match.items()))
    return f"{metric}{{{inner}}}"


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
