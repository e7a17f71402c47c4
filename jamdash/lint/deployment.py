"""Rules on the deployment section: the target selector and the labels the generated tests give targets."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.promql.selector import matches, text
from jamdash.resolve.deployment import target_selector, test_labels


def selector(ctx: LintContext) -> Iterator[Finding]:
    raw = ctx.spec.deployment
    if raw.selector is not None and ctx.spec.alerting and ctx.spec.alerting.job:
        yield ctx.at(("alerting", "job"), codes.DEPLOYMENT_SELECTOR,
                     "alerting.job and deployment.selector both pick the targets: keep the selector only")
    try:
        matchers = target_selector(ctx.spec)
    except ValueError as exc:
        yield ctx.at(("deployment", "selector"), codes.DEPLOYMENT_SELECTOR, f"deployment.selector: {exc}")
        return
    if "instance" in raw.test_labels:
        yield ctx.at_key(("deployment", "test_labels", "instance"), codes.DEPLOYMENT_TEST_LABELS,
                         f"the tests set instance themselves ({ctx.spec.service}-0:8000): drop it here")
    labels = test_labels(ctx.spec, matchers)
    failed = matches(matchers, labels)
    if failed:
        where = ("deployment", "test_labels") if raw.test_labels else ("deployment", "selector")
        shown = ", ".join(f"{k}={v!r}" for k, v in labels.items())
        yield ctx.at(where, codes.DEPLOYMENT_TEST_LABELS,
                     f"the generated tests' target labels ({shown}) do not match {text(failed)}: set "
                     "deployment.test_labels to the labels of one real target")


RULES = (selector,)
