"""Checks of an alert's description against its expression: the windows it names, the counts it prints."""

from __future__ import annotations

import re
from collections.abc import Iterator

import promql_parser as p

from jamdash import codes
from jamdash.model.rules import Alert
from jamdash.promql.walk import Node, call_name, parse, selector_name, walk
from jamdash.spec.common import duration_ms

_DURATION = r"\d+(?:ms|s|m|h|d|w|y)(?:\d+(?:ms|s|m|h|d|w|y))*"
_NAMED_WINDOW = re.compile(rf"\b(?:last|over|past|within)\s+(?:the\s+)?(?:last\s+|past\s+)?({_DURATION})\b")
_RECORDED_WINDOW = re.compile(rf":\w*?(?:rate|increase)({_DURATION})$")
_RECORDED_INCREASE = re.compile(rf":\w*increase{_DURATION}$")
_WHOLE = re.compile(r'\$value\s*\|\s*printf\s+"%\.0f"')


def windows(node: Node) -> frozenset[int]:
    """The range windows an expression reads, in ms: its own, and those of the recorded series it reads."""
    out = set()
    for n, _ in walk(node):
        if isinstance(n, p.MatrixSelector):
            out.add(int(n.range.total_seconds() * 1000))
        elif isinstance(n, p.VectorSelector):
            found = _RECORDED_WINDOW.search(selector_name(n) or "")
            if found:
                out.add(duration_ms(found.group(1)))
    return frozenset(out)


def problems(alert: Alert) -> Iterator[tuple[str, str]]:
    """(rule, message) for each way the description misstates the expression."""
    try:
        node = parse(alert.expr)
    except ValueError:
        return  # the expression checks report it
    description = alert.annotation_dict.get("description", "")
    named = [m.group(1) for m in _NAMED_WINDOW.finditer(description)]
    if named and isinstance(node, p.BinaryExpr) and str(node.op) == "or":
        branches = {windows(node.lhs), windows(node.rhs)}
        if len(branches) > 1:
            yield (codes.ALERT_DESCRIPTION_WINDOW,
                   f"alert {alert.name}: the description names the window {named[0]}, but the expression is an "
                   "`or` of conditions over different windows and cannot say which one fired; split it into "
                   "one alert per condition")
            return
    read = windows(node)
    for window in dict.fromkeys(named):
        if read and duration_ms(window) not in read:
            shown = ", ".join(sorted(f"{ms // 1000}s" for ms in read))
            yield (codes.ALERT_DESCRIPTION_WINDOW,
                   f"alert {alert.name}: the description names the window {window}, which the expression does not "
                   f"read (its windows: {shown})")
    if "$value" in description and not _WHOLE.search(description) and _unrounded_increase(node):
        yield (codes.ALERT_DESCRIPTION_COUNT,
               f"alert {alert.name}: $value is an increase(), which extrapolates (one event reads as 1.02); wrap "
               "it in round() or print it with printf \"%.0f\"")


def _unrounded_increase(node: Node) -> bool:
    for n, parents in walk(node):
        counted = call_name(n) == "increase" or (
            isinstance(n, p.VectorSelector) and _RECORDED_INCREASE.search(selector_name(n) or ""))
        if counted and not any(call_name(a) == "round" for a in parents):
            return True
    return False
