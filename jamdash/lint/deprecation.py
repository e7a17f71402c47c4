"""Rules on deprecations: a rename must point at a metric that can stand in for the old one."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash.findings import Finding
from jamdash.lint.context import LintContext


def _label_names(ctx: LintContext, keys: list[str]) -> set[str]:
    return {(ctx.spec.labels[k].name or k) if k in ctx.spec.labels else k for k in keys}


def renamed_to(ctx: LintContext) -> Iterator[Finding]:
    for name, metric in ctx.spec.metrics.items():
        if metric.deprecated is None or metric.deprecated.renamed_to is None:
            continue
        path = ("metrics", name, "deprecated", "renamed_to")
        target_name = metric.deprecated.renamed_to
        target = ctx.spec.metrics.get(target_name)
        if target is None or target_name == name:
            yield ctx.at(path, "deprecated-renamed-to-unknown",
                         f"'{name}' is renamed to '{target_name}', which is not a metric of the spec; declare it")
            continue
        if target.deprecated is not None:
            yield ctx.at(path, "deprecated-renamed-to-deprecated",
                         f"'{target_name}' is deprecated itself; rename '{name}' to the metric that replaces both")
        if target.type != metric.type:
            yield ctx.at(path, "deprecated-rename-incompatible",
                         f"'{name}' is a {metric.type} but '{target_name}' is a {target.type}; the old name "
                         "cannot be recorded from the new one, so keep both metrics")
            continue
        missing = _label_names(ctx, metric.labels) - _label_names(ctx, target.labels)
        if missing:
            yield ctx.at(path, "deprecated-rename-incompatible",
                         f"'{target_name}' lacks label(s) {', '.join(sorted(missing))} of '{name}'; the old series "
                         "cannot be recorded from the new one, so add the labels or keep both metrics")


RULES = (renamed_to,)
