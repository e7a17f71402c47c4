"""Input types for the deployment section: which targets are the service, and where its Kubernetes objects go."""

from jamdash.spec.common import Field, SpecModel

# Kubernetes metadata label keys: an optional DNS-subdomain prefix and a name of at most 63 characters.
K8S_KEY_PATTERN = r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
K8S_NAMESPACE_PATTERN = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"


class PrometheusRuleSpec(SpecModel):
    """Where the prometheus-operator PrometheusRule goes and how the operator finds it."""

    namespace: str | None = Field(default=None, pattern=K8S_NAMESPACE_PATTERN,
                                  description="metadata.namespace; none: the namespace `kubectl apply -n` names.")
    labels: dict[str, str] = Field(default_factory=dict, description=(
        "Extra metadata labels, e.g. release: kube-prometheus-stack (the chart's ruleSelector needs it)."))


def _sidecar_labels() -> dict[str, str]:
    return {"grafana_dashboard": "1"}


class DashboardConfigMapsSpec(SpecModel):
    """Where the dashboard ConfigMaps go and how the Grafana sidecar finds them."""

    namespace: str | None = Field(default=None, pattern=K8S_NAMESPACE_PATTERN,
                                  description="metadata.namespace; none: the namespace `kubectl apply -n` names.")
    labels: dict[str, str] = Field(default_factory=_sidecar_labels, description=(
        "Metadata labels; the sidecar loads ConfigMaps carrying its `sidecar.dashboards.label`."))
    folder_annotation: str = Field(default="grafana_folder", pattern=K8S_KEY_PATTERN, description=(
        "The annotation naming the dashboards' folder; the sidecar reads it only when its "
        "`sidecar.dashboards.folderAnnotation` is set to this name."))


class DeploymentSpec(SpecModel):
    """How the service is deployed: the scrape targets every rule and dashboard reads, and the Kubernetes objects."""

    selector: str | None = Field(default=None, min_length=2, description=(
        'The label matchers of the service\'s scrape targets, in PromQL: {job=~"ledger-.*", namespace="payments"}. '
        'Every alert, recording rule and dashboard reads only these targets. Default: {job="<service>"}.'))
    test_labels: dict[str, str] = Field(default_factory=dict, description=(
        "Target labels the generated promtool tests give their input series; they must match the selector. "
        "Default: the values of its `=` matchers and job=<service>."))
    prometheus_rule: PrometheusRuleSpec = Field(default=PrometheusRuleSpec(),
                                                description="The PrometheusRule's namespace and labels.")
    dashboard_configmaps: DashboardConfigMapsSpec = Field(default=DashboardConfigMapsSpec(),
                                                          description="The dashboard ConfigMaps' namespace, labels "
                                                                      "and folder annotation.")
