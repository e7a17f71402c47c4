# generated from metrics_spec.yaml by jamdash — do not edit
"""DEMO metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from demo_metrics import DemoMetrics

    metrics = DemoMetrics()  # prometheus_client's default registry
    metrics.demo_jobs_total.inc()

The metrics are prometheus_client's Counter and Gauge, with leaner update
methods (the ``_Lean`` classes below): an update goes straight to the series'
value. Exemplars, negative increments and the ``mostrecent`` gauge modes take
prometheus_client's own methods, and its errors. The leaner methods read
prometheus_client's private attributes ``_is_most_recent`` and ``_value``, as
versions 0.20 to 0.26 define them, and take its own methods where they are
missing.

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

from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge

__all__ = [
    "SERIES_BUDGET",
    "DemoMetrics",
]

SERIES_BUDGET = 2
"""The most series these metrics can export, per the spec's cardinality budget."""


class _LeanCounter(Counter):
    """prometheus_client's Counter, whose inc() adds to the child's value directly.

    Counter.inc() checks on each call that the metric is a child; here a child
    keeps its value in ``_lean`` once, when prometheus_client initialises it, and
    a labelled parent (never initialised), a negative amount and an exemplar are
    left to Counter.inc() and its errors.
    """

    _lean: Any = None  # the value the lean update reaches; None: prometheus_client's own method

    def _metric_init(self) -> None:
        super()._metric_init()
        self._lean = getattr(self, "_value", None)

    def inc(self, amount: float = 1, exemplar: dict[str, str] | None = None) -> None:
        value = self._lean
        if value is None or amount < 0 or exemplar:
            super().inc(amount, exemplar)
        else:
            value.inc(amount)


class _LeanGauge(Gauge):
    """prometheus_client's Gauge, whose inc(), dec() and set() reach the child's value directly.

    A labelled parent and the ``mostrecent`` modes (which refuse inc() and dec()
    and timestamp set()) are left to Gauge's own methods and their errors.
    """

    _lean: Any = None  # the value the lean updates reach; None: prometheus_client's own methods

    def _metric_init(self) -> None:
        super()._metric_init()
        if not getattr(self, "_is_most_recent", True):
            self._lean = getattr(self, "_value", None)

    def inc(self, amount: float = 1) -> None:
        stored = self._lean
        if stored is None:
            super().inc(amount)
        else:
            stored.inc(amount)

    def dec(self, amount: float = 1) -> None:
        stored = self._lean
        if stored is None:
            super().dec(amount)
        else:
            stored.inc(-amount)

    def set(self, value: float) -> None:
        stored = self._lean
        if stored is None:
            super().set(value)
        else:
            stored.set(float(value))


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
        self.demo_config_max_items = _LeanGauge(
            "demo_config_max_items",
            "Configured cap on stored items.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.demo_jobs_total = _LeanCounter(
            "demo_jobs_total",
            "Jobs run.",
            registry=registry,
        )

    @classmethod
    def fresh(cls) -> DemoMetrics:
        """A new set on its own registry, reachable as ``.registry``: for tests."""
        return cls(CollectorRegistry(auto_describe=True))
