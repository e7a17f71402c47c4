"""The deployment's target selector: parse `{job="x", ...}` into matchers, render them, test label sets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from jamdash.model.deployment import Matcher
from jamdash.promql.build import target_matcher

_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}  # promql_parser.MatchOp names


def parse_selector(text: str) -> tuple[Matcher, ...]:
    """The matchers of a `{label op "value", ...}` selector; ValueError says what is wrong."""
    import promql_parser  # only when a spec sets a selector: keeps the parser out of every import of build

    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        raise ValueError('write label matchers in braces, e.g. {job="shop"}, with no metric name')
    try:
        node = promql_parser.parse(stripped)
    except (ValueError, RuntimeError) as exc:
        raise ValueError(f"not a PromQL selector: {exc}") from None
    if not isinstance(node, promql_parser.VectorSelector) or node.name or node.offset or node.at:
        raise ValueError('write label matchers in braces, e.g. {job="shop"}, with no metric name')
    out = tuple(Matcher(m.name, _OPS[str(m.op).rsplit('.', 1)[-1]], m.value) for m in node.matchers.matchers)
    if any(m.label == "__name__" for m in out):
        raise ValueError("the selector picks targets, not metrics: drop the __name__ matcher")
    if any(m.op in ("=~", "!~") and not _compiles(m.value) for m in out):
        raise ValueError("a regular expression of the selector does not compile")
    return out


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def matches(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> list[Matcher]:
    """The matchers a label set fails (an absent label is the empty value, as in Prometheus)."""
    failed = []
    for m in matchers:
        value = labels.get(m.label, "")
        hit = value == m.value if m.op in ("=", "!=") else re.fullmatch(m.value, value) is not None
        if hit != (m.op in ("=", "=~")):
            failed.append(m)
    return failed


def text(matchers: Sequence[Matcher]) -> str:
    """The selector as the spec would write it: {job="shop"}."""
    return "{" + ", ".join(target_matcher(m) for m in matchers) + "}"
