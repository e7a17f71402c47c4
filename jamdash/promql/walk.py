"""The one PromQL AST walk: parse (Grafana range variables substituted) and visit each node with its parents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from typing import Any

import promql_parser

# Grafana's range variables stand in as durations nobody types, so a walk can recognise them.
RANGE_VARIABLES = {"__rate_interval": 2718281828, "__interval": 3141592653, "__range": 1414213562}
_RANGE_VARIABLE = re.compile(r"\$(?:\{(__rate_interval|__interval|__range)\}|(__rate_interval|__interval|__range)\b)")

Node = Any  # a promql_parser expression node


def parse(expr: str) -> Node:
    """The expression's AST; raises ValueError with the parser's message when it does not parse."""
    text = _RANGE_VARIABLE.sub(lambda m: f"{RANGE_VARIABLES[m.group(1) or m.group(2)]}ms", expr)
    return promql_parser.parse(text)


def is_range_variable(duration: timedelta, name: str = "__rate_interval") -> bool:
    return duration == timedelta(milliseconds=RANGE_VARIABLES[name])


def _children(node: Node) -> list[Node]:
    if isinstance(node, promql_parser.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, (promql_parser.ParenExpr, promql_parser.UnaryExpr, promql_parser.SubqueryExpr)):
        return [node.expr]
    if isinstance(node, promql_parser.AggregateExpr):
        return [c for c in (node.param, node.expr) if c is not None]
    if isinstance(node, promql_parser.Call):
        return list(node.args)
    if isinstance(node, promql_parser.MatrixSelector):
        return [node.vector_selector]
    return []


def walk(node: Node, parents: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node, depth first, with its ancestors (outermost first)."""
    yield node, parents
    for child in _children(node):
        yield from walk(child, (*parents, node))


def selectors(node: Node) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every vector selector, with its ancestors."""
    return ((n, p) for n, p in walk(node) if isinstance(n, promql_parser.VectorSelector))


def selector_name(selector: Node) -> str | None:
    """The metric a selector reads: its name, or its __name__="..." matcher."""
    if selector.name:
        return str(selector.name)
    for m in selector.matchers.matchers:
        if m.name == "__name__" and m.op == promql_parser.MatchOp.Equal:
            return str(m.value)
    return None


def call_name(node: Node) -> str | None:
    return str(node.func.name) if isinstance(node, promql_parser.Call) else None


@lru_cache(maxsize=4096)  # the model's references are read twice per generate (metrics docs, runbooks)
def series_names(expr: str) -> frozenset[str]:
    """Every series name an expression selects (`name{...}` or `{__name__="name"}`); ValueError if it does not parse."""
    return frozenset(name for sel, _ in selectors(parse(expr)) if (name := selector_name(sel)))


def is_matrix(node: Node) -> bool:
    """A range selector: `series[5m]`."""
    return isinstance(node, promql_parser.MatrixSelector)


def regex_values(selector: Node, label: str) -> set[str]:
    """The patterns of the selector's `label=~"..."` matchers."""
    return {str(m.value) for m in selector.matchers.matchers
            if m.name == label and m.op == promql_parser.MatchOp.Re}
