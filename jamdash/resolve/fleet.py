"""resolve (fleet): the cluster label and the rule engines of the spec's fleet section."""

from __future__ import annotations

from jamdash.model.fleet import Fleet
from jamdash.spec import Spec


def resolve_fleet(spec: Spec) -> Fleet:
    """The fleet settings with their defaults; unset, those of one Prometheus scraping one deployment."""
    if spec.fleet is None:
        return Fleet()
    raw = spec.fleet
    return Fleet(cluster_label=raw.cluster_label or "", backends=tuple(dict.fromkeys(["prometheus", *raw.backends])),
                 namespace=raw.namespace or spec.service, partial_response_strategy=raw.partial_response_strategy)
