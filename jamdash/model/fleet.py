"""The resolved fleet settings: the cluster label every aggregation keeps and the rule engines to write for."""

from __future__ import annotations

from jamdash.record import frozen


@frozen
class Fleet:
    """Unset (the default), the output is that of one Prometheus scraping one deployment."""

    cluster_label: str = ""
    backends: tuple[str, ...] = ("prometheus",)
    namespace: str = ""  # the Mimir/Cortex ruler namespace
    partial_response_strategy: str = "abort"  # Thanos Ruler

    def writes(self, backend: str) -> bool:
        return backend in self.backends
