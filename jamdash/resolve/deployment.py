"""resolve (deployment): the target selector with its defaults, the test labels and the Kubernetes placement."""

from __future__ import annotations

from jamdash import conventions
from jamdash.model.deployment import Deployment, Matcher, Placement
from jamdash.promql.selector import parse_selector
from jamdash.spec import Spec


def target_selector(spec: Spec) -> tuple[Matcher, ...]:
    """deployment.selector, else {job="<alerting.job>"}, else {job="<service>"}; raises ValueError when it is bad."""
    if spec.deployment.selector is not None:
        return parse_selector(spec.deployment.selector)
    job = spec.alerting.job if spec.alerting and spec.alerting.job else spec.service
    return (Matcher("job", "=", job),)


def test_labels(spec: Spec, selector: tuple[Matcher, ...]) -> dict[str, str]:
    """Target labels of promtool input series: the `=` matchers' values, job=<service>, then the spec's own."""
    labels = {"job": spec.service, **{m.label: m.value for m in selector if m.op == "="}}
    labels.update(spec.deployment.test_labels)
    return {"job": labels.pop("job"), **dict(sorted(labels.items()))}


def resolve_deployment(spec: Spec) -> Deployment:
    selector = target_selector(spec)
    raw = spec.deployment
    return Deployment(
        selector=selector,
        test_labels=tuple(test_labels(spec, selector).items()),
        instance=conventions.sample_instance(spec.service),
        prometheus_rule=Placement(raw.prometheus_rule.namespace, tuple(raw.prometheus_rule.labels.items())),
        dashboard_configmaps=Placement(raw.dashboard_configmaps.namespace,
                                       tuple(raw.dashboard_configmaps.labels.items())),
        folder_annotation=raw.dashboard_configmaps.folder_annotation,
    )
