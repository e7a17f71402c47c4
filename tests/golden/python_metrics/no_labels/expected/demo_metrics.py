# generated from metrics_spec.yaml by jamdash — do not edit
"""DEMO metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from demo_metrics import DemoMetrics

    metrics = DemoMetrics()  # prometheus_client's default registry
    metrics.demo_jobs_total.inc()

Tests take an isolated set from ``DemoMetrics.fresh()``.

Series budget: at most 2 series in all. prometheus_client also exports a
``_created`` sample per counter and histogram series, outside the budget;
``PROMETHEUS_DISABLE_CREATED_SERIES=True`` turns them off.

Multiprocess mode: set ``PROMETHEUS_MULTIPROC_DIR`` before prometheus_client is
first imported and serve a ``MultiProcessCollector``; gauges combine the values
of all processes as the spec's ``multiprocess_mode`` says (call
``multiprocess.mark_process_dead(pid)`` when a worker exits, for the ``live``
modes).
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge

__all__ = [
    "SERIES_BUDGET",
    "DemoMetrics",
]

SERIES_BUDGET = 2
"""The most series these metrics can export, per the spec's cardinality budget."""


class DemoMetrics:
    """Every DEMO metric of the spec, registered on one registry.

    ``registry`` defaults to prometheus_client's global registry, so the app's
    existing ``/metrics`` handler exports these metrics. Pass ``None`` to leave
    them unregistered.
    """

    __slots__ = (
        "registry",
        "demo_config_max_items",
        "demo_jobs_total",
    )

    registry: CollectorRegistry | None
    """The registry these metrics are registered on."""

    demo_config_max_items: Gauge
    """Configured cap on stored items."""

    demo_jobs_total: Counter
    """Jobs run."""

    def __init__(self, registry: CollectorRegistry | None = REGISTRY) -> None:
        self.registry = registry
        self.demo_config_max_items = Gauge(
            "demo_config_max_items",
            "Configured cap on stored items.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.demo_jobs_total = Counter(
            "demo_jobs_total",
            "Jobs run.",
            registry=registry,
        )

    @classmethod
    def fresh(cls) -> DemoMetrics:
        """A new set on its own registry, reachable as ``.registry``: for tests."""
        return cls(CollectorRegistry(auto_describe=True))
