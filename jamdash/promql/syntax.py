"""PromQL text as promql-parser reads it: an expression's canonical print, and whether label matchers parse."""

from __future__ import annotations

import promql_parser


def canonical(expr: str) -> str:
    """The expression as promql-parser prints it, so two spellings of one expression compare equal
    (Prometheus' API returns rules in its own formatting); whitespace-collapsed text if it does not parse."""
    try:
        return str(promql_parser.parse(expr))
    except (ValueError, TypeError):
        return " ".join(expr.split())


def matchers_problem(text: str) -> str | None:
    """Why `label="value", ...` does not parse as the matchers of a selector, or None."""
    try:
        promql_parser.parse(f"{{{text}}}")
    except ValueError as exc:
        return " ".join(str(exc).split())
    return None
