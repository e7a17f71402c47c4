"""The fleet check: every aggregation and vector match of an expression keeps the cluster label."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as p

from jamdash.promql.walk import Node, parse, walk


def _show(node: Node) -> str:
    return str(node).replace("{}", "")


def _aggregation_keeps(node: p.AggregateExpr, label: str) -> bool:
    modifier = node.modifier
    if modifier is None:
        return False
    listed = label in modifier.labels
    return listed if modifier.type == p.AggModifierType.By else not listed


def _match_keeps(node: p.BinaryExpr, label: str) -> bool:
    matching = node.modifier.matching if node.modifier else None
    if matching is None:
        return True
    listed = label in matching.labels
    return listed if matching.type == p.LabelModifierType.Include else not listed


def dropping(expr: str, label: str) -> Iterator[str]:
    """Each aggregation or on()/ignoring() match in expr that loses label, as text; nothing if it does not parse
    (the PromQL check reports that)."""
    try:
        node = parse(expr)
    except (ValueError, TypeError):
        return
    for sub, _ in walk(node):
        if isinstance(sub, p.AggregateExpr) and not _aggregation_keeps(sub, label):
            yield _show(sub)
        elif isinstance(sub, p.BinaryExpr) and not _match_keeps(sub, label):
            yield _show(sub)
