"""The spec's input types: the YAML shape, kept apart from the resolved model."""

from typing import Literal

from jamdash.spec.alerts import AlertingSpec, AlertSpec, RecordingRuleSpec, SloSpec
from jamdash.spec.common import NAME_PATTERN, NOT_BLANK_PATTERN, Duration, Field, SpecModel
from jamdash.spec.dashboards import DashboardsSpec
from jamdash.spec.fleet import FleetSpec
from jamdash.spec.deployment import DeploymentSpec
from jamdash.spec.metrics import LabelSpec, MetricSpec
from jamdash.spec.telemetry import TelemetrySpec


class Spec(SpecModel):
    """The whole metrics_spec.yaml.

    To add a section (alerts, dashboards, ...): its types go in a new module jamdash/spec/<section>.py and
    the section becomes ONE optional field here. A `dict[str, Model]` section is shape-checked entry by
    entry, so one bad entry does not hide the problems of the others (jamdash/spec/shape.py).
    """

    version: Literal[1] = Field(description="Spec format version; always 1.")
    service: str = Field(pattern=NAME_PATTERN, description="Service name, snake_case: the prefix of every metric name "
                                                          "and of every generated file, rule group, alert and object.")
    title: str | None = Field(default=None, min_length=1, pattern=NOT_BLANK_PATTERN, description=(
        "The service's name for people (headings, the dashboards' folder and links). Default: the service name "
        "with each word capitalised."))
    scrape_interval: Duration = Field(default="15s", description="How often Prometheus scrapes the service.")
    max_series: int = Field(ge=1, description="Upper bound on the sum of all metrics' series budgets.")
    labels: dict[str, LabelSpec] = Field(default_factory=dict, description="Labels by key, declared once.")
    metrics: dict[str, MetricSpec] = Field(description="Metrics by their full name.")
    deployment: DeploymentSpec = Field(default=DeploymentSpec(), description=(
        "The scrape targets every rule and dashboard reads, and where the Kubernetes objects go."))
    alerting: AlertingSpec | None = Field(default=None, description="Settings shared by every alert.")
    recording_rules: list[RecordingRuleSpec] = Field(default_factory=list, description="Recorded series for "
                                                     "dashboards; alerts add the ones they need.")
    alerts: dict[str, AlertSpec] = Field(default_factory=dict, description="Alerts by name (CamelCase, starting with the service name in CamelCase).")
    slo: list[SloSpec] = Field(default_factory=list, description="Success SLOs with burn-rate alerts.")
    telemetry: TelemetrySpec | None = Field(default=None, description="Log events, spans, status and health.")
    dashboards: DashboardsSpec | None = Field(default=None, description="Grafana dashboards, panels described by intent.")
    fleet: FleetSpec | None = Field(default=None, description="Clusters sharing one metrics store, and the rule engines.")

