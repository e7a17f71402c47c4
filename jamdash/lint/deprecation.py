"""Rules on deprecated metrics: a replacement must be a declared metric that is itself current."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from jamdash.findings import Finding
from jamdash.lint.context import LintContext

RULE_IDS = ("deprecation-target",)


def renamed_to(ctx: LintContext) -> Iterator[Finding]:
    metrics = ctx.spec.metrics
    for name, metric in metrics.items():
        target = metric.deprecated.renamed_to if metric.deprecated else None
        if target is None or ctx.is_dropped(("metrics", target)):
            continue
        path = ("metrics", name, "deprecated", "renamed_to")
        if target == name:
            yield ctx.at(path, "deprecation-target",
                         f"'{name}' is renamed to itself: name the metric that replaces it, or drop 'renamed_to'")
        elif target not in metrics:
            close = difflib.get_close_matches(target, sorted(metrics), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "declare it under 'metrics' or fix the name"
            yield ctx.at(path, "deprecation-target",
                         f"'{name}' is renamed to '{target}', which is not a declared metric: {hint}")
        else:
            successor = metrics[target].deprecated
            if successor is not None:
                final = successor.renamed_to
                hint = f"point it at '{final}' instead" if final else "point it at a metric that is not deprecated"
                yield ctx.at(path, "deprecation-target",
                             f"'{name}' is renamed to '{target}', which is deprecated too: {hint}")


RULES = (renamed_to,)
