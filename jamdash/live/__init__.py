"""The live checks: what runs (an exposition, a registry, a Prometheus) compared with the spec."""
