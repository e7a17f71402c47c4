"""The live checks: what runs (an exposition, a registry, a Prometheus) compared with the spec."""

from jamdash.live.registry import NonConformance, assert_conforms, findings

__all__ = ["NonConformance", "assert_conforms", "findings"]
