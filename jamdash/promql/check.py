"""Check one PromQL expression in-process against the catalog: names, labels, values, types, windows."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

import promql_parser as p

from jamdash import codes
from jamdash.promql.catalog import SeriesKind
from jamdash.promql.labels import Labels, output_labels
from jamdash.promql.walk import selectors, walk
from jamdash.record import frozen

COUNTER_FUNCTIONS = {"rate", "increase", "irate", "resets"}
MIN_WINDOW_SCRAPES = 4


@frozen
class Problem:
    rule: str
    message: str


def _show(node: p.Expr) -> str:
    """An expression as text, without the empty `{}` promql-parser prints after bare names."""
    return str(node).replace("{}", "")


def parse(expr: str) -> tuple[p.Expr | None, Problem | None]:
    try:
        return p.parse(expr), None
    except (ValueError, TypeError) as exc:
        return None, Problem(codes.PROMQL_PARSE, f"cannot parse `{expr}`: {exc}")


def check(expr: str, series: Mapping[str, SeriesKind], scrape_seconds: float) -> tuple[Labels, list[Problem]]:
    """The result's labels and every problem found in expr."""
    node, problem = parse(expr)
    if node is None:
        return frozenset(), [problem] if problem else []
    problems = list(dict.fromkeys(_walk(node, series, scrape_seconds)))
    return output_labels(node, series), problems


def _walk(node: p.Expr, series: Mapping[str, SeriesKind], scrape: float) -> Iterator[Problem]:
    """Each node's problems, depth first in the one walk's order (a node before its children)."""
    for n, _ in walk(node):
        if isinstance(n, p.VectorSelector):
            yield from _selector(n, series)
        elif isinstance(n, (p.MatrixSelector, p.SubqueryExpr)):
            yield from _window(_seconds(n.range), _show(n), scrape)
        elif isinstance(n, p.AggregateExpr):
            yield from _grouping(n, series)
        elif isinstance(n, p.Call):
            yield from _call(n, series)
        elif isinstance(n, p.BinaryExpr):
            yield from _matching(n, series)


def _selector(node: p.VectorSelector, series: Mapping[str, SeriesKind]) -> Iterator[Problem]:
    known = series.get(node.name or "")
    if known is None:
        close = difflib.get_close_matches(node.name or "", list(series), n=1, cutoff=0.6)
        yield Problem(codes.PROMQL_UNKNOWN_METRIC, f"`{_show(node)}`: '{node.name or '(no name)'}' is not a declared metric, "
                                               "histogram series, recorded series or `up`"
                                               + (f"; did you mean '{close[0]}'?" if close else ""))
        return
    if known.kind == "histogram":
        yield Problem(codes.PROMQL_HISTOGRAM_NAME, f"`{_show(node)}`: a histogram is queried through its _bucket, _sum "
                                               "or _count series")
    for matcher in node.matchers.matchers:
        if matcher.name == "__name__":
            continue
        if matcher.name not in known.labels:
            yield Problem(codes.PROMQL_UNKNOWN_LABEL, f"`{_show(node)}`: {known.name} has no label '{matcher.name}' "
                                                  f"(it has: {', '.join(sorted(known.labels))})")
            continue
        allowed = known.labels[matcher.name]
        if allowed is not None and not _matches_any(matcher, allowed):
            yield Problem(codes.PROMQL_LABEL_VALUE, f"`{_show(node)}`: '{matcher.value}' is not an allowed value of "
                                                f"'{matcher.name}' ({', '.join(allowed)})")


def _matches_any(matcher: p.Matcher, allowed: tuple[str, ...]) -> bool:
    if matcher.op in (p.MatchOp.NotEqual, p.MatchOp.NotRe):
        return True
    if matcher.op == p.MatchOp.Equal:
        return matcher.value in allowed
    try:
        pattern = re.compile(f"(?:{matcher.value})")
    except re.error:
        return True  # promql-parser accepted it; RE2 and Python differ at the edges
    return any(pattern.fullmatch(value) for value in allowed)


def _seconds(duration: timedelta | None) -> float:
    return duration.total_seconds() if duration is not None else 0.0


def _window(seconds: float, text: str, scrape: float) -> Iterator[Problem]:
    if seconds < MIN_WINDOW_SCRAPES * scrape:
        yield Problem(codes.PROMQL_RATE_WINDOW, f"`{text}`: the {seconds:g}s window is shorter than "
                                            f"{MIN_WINDOW_SCRAPES} × scrape_interval ({MIN_WINDOW_SCRAPES * scrape:g}s); "
                                            "rates over it are noisy or empty")


def _call(node: p.Call, series: Mapping[str, SeriesKind]) -> Iterator[Problem]:
    name = node.func.name
    if name in COUNTER_FUNCTIONS:
        for selector in _selectors(node.args[0] if node.args else None):
            known = series.get(selector.name or "")
            if known and not known.is_counter:
                yield Problem(codes.PROMQL_COUNTER_FUNCTION, f"`{_show(node)}`: {name}() applies to counters only, "
                                                         f"and {known.name} is a {known.kind}")
    if name == "histogram_quantile" and len(node.args) == 2:
        for selector in _selectors(node.args[1]):
            known = series.get(selector.name or "")
            if known and known.kind != "bucket":
                yield Problem(codes.PROMQL_HISTOGRAM_QUANTILE, f"`{_show(node)}`: histogram_quantile() needs the _bucket "
                                                           f"series of a histogram, not {known.name}")
        if "le" not in (output_labels(node.args[1], series) or frozenset()):
            yield Problem(codes.PROMQL_HISTOGRAM_QUANTILE, f"`{_show(node)}`: the 'le' label is aggregated away; "
                                                       "keep it with `by (..., le)`")


def _selectors(node: p.Expr | None) -> Iterator[p.VectorSelector]:
    return (sel for sel, _ in selectors(node)) if node is not None else iter(())


def _unknown_inside(node: p.Expr, series: Mapping[str, SeriesKind]) -> bool:
    return any(series.get(selector.name or "") is None for selector in _selectors(node))


def _grouping(node: p.AggregateExpr, series: Mapping[str, SeriesKind]) -> Iterator[Problem]:
    inner = output_labels(node.expr, series)
    if node.modifier is None or inner is None or _unknown_inside(node.expr, series):
        return  # an unknown name is the mistake (reported at its selector), not the labels it lacks
    for label in node.modifier.labels:
        if label not in inner:
            yield Problem(codes.PROMQL_UNKNOWN_LABEL, f"`{_show(node)}`: '{label}' is not a label of the aggregated series "
                                                  f"({', '.join(sorted(inner)) or 'none'})")


def _matching(node: p.BinaryExpr, series: Mapping[str, SeriesKind]) -> Iterator[Problem]:
    matching = node.modifier.matching if node.modifier else None
    if matching is None or matching.type != p.LabelModifierType.Include:
        return
    for side in (node.lhs, node.rhs):
        if _unknown_inside(side, series):
            continue
        labels = output_labels(side, series)
        for label in matching.labels:
            if labels is not None and label not in labels:
                yield Problem(codes.PROMQL_UNKNOWN_LABEL, f"`{_show(node)}`: '{label}' in on()/ignoring() is not a label of "
                                                      f"`{_show(side)}` ({', '.join(sorted(labels)) or 'none'})")
