"""Rules on deprecated metrics: a replacement must be a declared metric that is itself current."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.lint.context import LintContext



def renamed_to(ctx: LintContext) -> Iterator[Finding]:
    metrics = ctx.spec.metrics
    for name, metric in metrics.items():
        target = metric.deprecated.renamed_to if metric.deprecated else None
        if target is None or ctx.is_dropped(("metrics", target)):
            continue
        path = ("metrics", name, "deprecated", "renamed_to")
        if target == name:
            yield ctx.at(path, codes.DEPRECATION_TARGET,
                         f"'{name}' is renamed to itself: name the metric that replaces it, or drop 'renamed_to'")
        elif target not in metrics:
            import difflib  # only for this finding: ~2 ms of every run otherwise

            close = difflib.get_close_matches(target, sorted(metrics), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "declare it under 'metrics' or fix the name"
            yield ctx.at(path, codes.DEPRECATION_TARGET,
                         f"'{name}' is renamed to '{target}', which is not a declared metric: {hint}")
        else:
            successor = metrics[target].deprecated
            if successor is not None:
                final = successor.renamed_to
                hint = f"point it at '{final}' instead" if final else "point it at a metric that is not deprecated"
                yield ctx.at(path, codes.DEPRECATION_TARGET,
                             f"'{name}' is renamed to '{target}', which is deprecated too: {hint}")
            else:
                yield from _compatible(ctx, path, name, target)


def _label_names(ctx: LintContext, keys: list[str]) -> set[str]:
    return {ctx.labels[k].name if k in ctx.labels else k for k in keys}


def _compatible(ctx: LintContext, path: tuple[str, ...], name: str, target: str) -> Iterator[Finding]:
    """The old name is recorded from the new metric, so it needs the same type and the old labels."""
    old, new = ctx.spec.metrics[name], ctx.spec.metrics[target]
    if new.type != old.type:
        yield ctx.at(path, codes.DEPRECATED_RENAME_INCOMPATIBLE,
                     f"'{name}' is a {old.type} but '{target}' is a {new.type}; the old name "
                     "cannot be recorded from the new one, so keep both metrics")
        return
    missing = _label_names(ctx, old.labels) - _label_names(ctx, new.labels)
    if missing:
        yield ctx.at(path, codes.DEPRECATED_RENAME_INCOMPATIBLE,
                     f"'{target}' lacks label(s) {', '.join(sorted(missing))} of '{name}'; the old series "
                     "cannot be recorded from the new one, so add the labels or keep both metrics")


RULES = (renamed_to,)
