"""Rules on label declarations and the labels metrics reference."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jamdash.conventions import RESERVED_LABELS
from jamdash.findings import WARNING, Finding
from jamdash.lint.context import LintContext

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def label_declarations(ctx: LintContext) -> Iterator[Finding]:
    for key, label in ctx.spec.labels.items():
        path = ("labels", key)
        name = label.name or key
        if not _SNAKE.match(name):
            yield ctx.at_key(path, "label-name-snake-case", f"label name '{name}' must be snake_case ([a-z][a-z0-9_]*)")
        if name in RESERVED_LABELS or name.startswith("__"):
            yield ctx.at_key(path, "reserved-label",
                             f"label name '{name}' is reserved by Prometheus ({', '.join(RESERVED_LABELS)}, __*)")
        if (label.values is None) == (label.max_values is None):
            yield ctx.at_key(path, "label-values-or-bound",
                             f"label '{key}' needs exactly one of 'values' (a closed list) or 'max_values' (a bound)")
        if label.values is not None:
            if not label.values:
                yield ctx.at((*path, "values"), "label-values-or-bound", f"label '{key}' has an empty values list")
            seen: set[str] = set()
            for i, value in enumerate(label.values):
                if value in seen:
                    yield ctx.at((*path, "values", i), "label-values-duplicate", f"value '{value}' is listed twice")
                seen.add(value)
            if label.overflow in seen:
                yield ctx.at((*path, "values"), "label-overflow-collision",
                             f"overflow value '{label.overflow}' is also a declared value; pick another 'overflow'")


def metric_label_references(ctx: LintContext) -> Iterator[Finding]:
    used: set[str] = set()
    for name, metric in ctx.spec.metrics.items():
        seen_names: set[str] = set()
        for i, key in enumerate(metric.labels):
            path = ("metrics", name, "labels", i)
            label = ctx.spec.labels.get(key)
            if label is None:
                known = ", ".join(sorted(ctx.spec.labels)) or "none declared"
                yield ctx.at(path, "undeclared-label",
                             f"metric '{name}' uses label '{key}', which is not declared under 'labels' (declared: {known})")
                continue
            used.add(key)
            label_name = label.name or key
            if label_name in seen_names:
                yield ctx.at(path, "label-used-twice", f"metric '{name}' has label '{label_name}' twice")
            seen_names.add(label_name)
    for key in ctx.spec.labels:
        if key not in used:
            yield ctx.at_key(("labels", key), "label-unused", f"label '{key}' is declared but no metric uses it", WARNING)


RULES = (label_declarations, metric_label_references)
