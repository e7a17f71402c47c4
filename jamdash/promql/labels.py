"""The labels an expression's result series carry, worked out from the AST and the catalog."""

from __future__ import annotations

from collections.abc import Mapping

import promql_parser as p

from jamdash.promql.catalog import SeriesKind

Labels = frozenset[str] | None  # None: a scalar or string, no series at all

# Functions whose result keeps the labels of their first vector or matrix argument.
_SCALAR_RESULT = {"scalar", "time", "pi", "minute", "hour", "day_of_month", "day_of_week", "day_of_year",
                  "days_in_month", "month", "year"}
_SET_OPS = {"and", "or", "unless"}


def output_labels(node: p.Expr, series: Mapping[str, SeriesKind]) -> Labels:
    """The label names every result series carries (a safe subset where Prometheus may vary)."""
    if isinstance(node, (p.NumberLiteral, p.StringLiteral)):
        return None
    if isinstance(node, (p.ParenExpr, p.UnaryExpr, p.SubqueryExpr)):
        return output_labels(node.expr, series)
    if isinstance(node, p.MatrixSelector):
        return output_labels(node.vector_selector, series)
    if isinstance(node, p.VectorSelector):
        known = series.get(node.name or "")
        return frozenset(known.labels) if known else frozenset()
    if isinstance(node, p.AggregateExpr):
        return _aggregate(node, series)
    if isinstance(node, p.Call):
        return _call(node, series)
    if isinstance(node, p.BinaryExpr):
        return _binary(node, series)
    return frozenset()


def _aggregate(node: p.AggregateExpr, series: Mapping[str, SeriesKind]) -> Labels:
    inner = output_labels(node.expr, series) or frozenset()
    op = str(node.op)
    if op in ("topk", "bottomk"):
        return inner
    modifier = node.modifier
    if modifier is None:
        kept: frozenset[str] = frozenset()
    elif modifier.type == p.AggModifierType.By:
        kept = frozenset(modifier.labels)
    else:
        kept = inner - frozenset(modifier.labels)
    if op == "count_values" and isinstance(node.param, p.StringLiteral):
        kept |= {node.param.val}
    return kept


def _call(node: p.Call, series: Mapping[str, SeriesKind]) -> Labels:
    name = node.func.name
    if name in _SCALAR_RESULT or str(node.func.return_type) != "ValueType.Vector":
        return None
    if name in ("absent", "absent_over_time"):
        selector = _selector(node.args[0]) if node.args else None
        if selector is None:
            return frozenset()
        return frozenset(m.name for m in selector.matchers.matchers
                         if m.op == p.MatchOp.Equal and m.name != "__name__")
    if name == "vector":
        return frozenset()
    vectors = [a for a in node.args if not isinstance(a, (p.NumberLiteral, p.StringLiteral))]
    inner = output_labels(vectors[-1] if name == "histogram_quantile" else vectors[0], series) if vectors else None
    inner = inner or frozenset()
    if name == "histogram_quantile":
        return inner - {"le"}
    if name in ("label_replace", "label_join") and isinstance(node.args[1], p.StringLiteral):
        return inner | {node.args[1].val}
    return inner


def _selector(node: p.Expr) -> p.VectorSelector | None:
    if isinstance(node, p.VectorSelector):
        return node
    if isinstance(node, p.MatrixSelector):
        return node.vector_selector
    return None


def _binary(node: p.BinaryExpr, series: Mapping[str, SeriesKind]) -> Labels:
    lhs, rhs = output_labels(node.lhs, series), output_labels(node.rhs, series)
    if lhs is None or rhs is None:
        return rhs if lhs is None else lhs
    op = str(node.op)
    modifier = node.modifier
    matching = modifier.matching if modifier else None
    if op in _SET_OPS:
        return lhs & rhs if op == "or" else lhs
    card = modifier.card if modifier else p.VectorMatchCardinality.OneToOne
    include = frozenset(modifier.group_labels or ()) if modifier else frozenset()
    if card == p.VectorMatchCardinality.ManyToOne:
        return lhs | include
    if card == p.VectorMatchCardinality.OneToMany:
        return rhs | include
    if matching is None:
        return lhs
    if matching.type == p.LabelModifierType.Include:
        return lhs & frozenset(matching.labels)
    return lhs - frozenset(matching.labels)
