"""Input types for the spec's fleet section: clusters, and the rule engines that load the rules."""

from typing import Literal

from jamdash.spec.common import NAME_PATTERN, Field, SpecModel

Backend = Literal["prometheus", "thanos", "mimir", "cortex", "victoriametrics"]
Replicas = Literal["shared", "per_process"]


def _prometheus_only() -> list[Backend]:
    return ["prometheus"]


class FleetSpec(SpecModel):
    """Several deployments (clusters) in one metrics store, and the rule engines that evaluate the rules."""

    cluster_label: str | None = Field(
        default=None, pattern=NAME_PATTERN,
        description="The label each cluster's scraper adds (e.g. cluster): kept by every aggregation and match of "
                    "the generated rules and dashboards, and filtered by a `cluster` dashboard variable.")
    backends: list[Backend] = Field(
        default_factory=_prometheus_only,
        description="Rule engines to write rules for: prometheus (also what vmalert loads; always written), "
                    "thanos (Thanos Ruler), mimir and cortex (mimirtool/cortextool files), victoriametrics "
                    "(a VMRule object).")
    namespace: str | None = Field(default=None, min_length=1, description="The Mimir/Cortex ruler namespace; defaults to the service.")
    partial_response_strategy: Literal["abort", "warn"] = Field(
        default="abort", description="Thanos Ruler: what a group does when a store answers partially (abort: fail the "
                             "evaluation; warn: evaluate on what answered).")
