"""Rules on label declarations, their values, and the labels metrics reference."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from jamdash import codes
from jamdash.conventions import RESERVED_LABELS
from jamdash.findings import WARNING, Finding
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.spec.metrics import LabelSpec


_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_VALUE_LENGTH = 100


def _value_problem(value: str) -> str | None:
    if not value:
        return "is empty"
    if value != value.strip():
        return "has leading or trailing spaces"
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        return "contains control or invisible characters"
    if len(value) > MAX_VALUE_LENGTH:
        return f"is longer than {MAX_VALUE_LENGTH} characters"
    return None


def _values(ctx: LintContext, key: str, label: LabelSpec) -> Iterator[Finding]:
    path: Path = ("labels", key)
    checked = [((*path, "values", i), v) for i, v in enumerate(label.values or ())]
    for where, value in [*checked, ((*path, "overflow"), label.overflow)]:
        problem = _value_problem(value)
        if problem:
            yield ctx.at(where, codes.LABEL_VALUE_INVALID,
                         f"label '{key}' value {value!r} {problem}: use short, plain, non-empty text")
    if label.values is None:
        return
    if not label.values:
        yield ctx.at((*path, "values"), codes.LABEL_VALUES_OR_BOUND,
                     f"label '{key}' has an empty values list: list its values, or use 'max_values'")
    seen: set[str] = set()
    for where, value in checked:
        if value in seen:
            yield ctx.at(where, codes.LABEL_VALUES_DUPLICATE, f"label '{key}' lists value '{value}' twice: remove one")
        seen.add(value)
    if label.overflow in seen:
        yield ctx.at((*path, "values"), codes.LABEL_OVERFLOW_COLLISION,
                     f"label '{key}' overflow value '{label.overflow}' is also one of its values, so folded and real "
                     "values would mix: pick another 'overflow'")


def label_declarations(ctx: LintContext) -> Iterator[Finding]:
    for key, label in ctx.spec.labels.items():
        path: Path = ("labels", key)
        name = label.name or key
        if label.name and not _SNAKE.match(key):
            yield ctx.at_key(path, codes.LABEL_NAME_SNAKE_CASE,
                             f"label key '{key}' must be snake_case ([a-z][a-z0-9_]*): the generated code uses it "
                             "in identifiers; rename it")
        if not _SNAKE.match(name):
            message = f"label name '{name}' must be snake_case ([a-z][a-z0-9_]*): rename it"
            yield (ctx.at((*path, "name"), codes.LABEL_NAME_SNAKE_CASE, message) if label.name
                   else ctx.at_key(path, codes.LABEL_NAME_SNAKE_CASE, message))
        if name in RESERVED_LABELS or name.startswith("__"):
            yield ctx.at_key(path, codes.RESERVED_LABEL,
                             f"label name '{name}' is reserved by Prometheus ({', '.join(RESERVED_LABELS)}, __*): "
                             "choose another name")
        if (label.values is None) == (label.max_values is None):
            yield ctx.at_key(path, codes.LABEL_VALUES_OR_BOUND,
                             f"label '{key}' needs exactly one of 'values' (a closed list) or 'max_values' "
                             "(a bound for dynamic values)")
        yield from _values(ctx, key, label)


def metric_label_references(ctx: LintContext) -> Iterator[Finding]:
    used: set[str] = set()
    for name, metric in ctx.spec.metrics.items():
        seen_names: set[str] = set()
        for i, key in enumerate(metric.labels):
            path = ("metrics", name, "labels", i)
            label = ctx.spec.labels.get(key)
            if label is None:
                if not ctx.is_dropped(("labels", key)):
                    broken = {str(p[1]) for p in ctx.dropped if len(p) == 2 and p[0] == "labels"}
                    known = ", ".join(sorted({*ctx.spec.labels, *broken})) or "none declared"
                    yield ctx.at(path, codes.UNDECLARED_LABEL,
                                 f"metric '{name}' uses label '{key}', which is not declared under 'labels': declare "
                                 f"it or fix the name (declared: {known})")
                continue
            used.add(key)
            label_name = label.name or key
            if label_name in seen_names:
                yield ctx.at(path, codes.LABEL_USED_TWICE, f"metric '{name}' has label '{label_name}' twice: remove one")
            seen_names.add(label_name)
            if label.values is None and label.max_values is not None and not re.search(rf"\b{re.escape(label_name)}\b", metric.help):
                yield ctx.at(path, codes.BOUNDED_LABEL_UNJUSTIFIED,
                             f"metric '{name}' uses the bounded label '{label_name}' (up to {label.max_values} values) "
                             f"but its help does not justify it: say in the help why '{label_name}' is needed, "
                             "or drop the label")
    if not ctx.complete:
        return  # a metric left out by a shape error may use the label
    for key in ctx.spec.labels:
        if key not in used:
            yield ctx.at_key(("labels", key), codes.LABEL_UNUSED,
                             f"label '{key}' is declared but no metric uses it: use it or remove it", WARNING)


RULES = (label_declarations, metric_label_references)
