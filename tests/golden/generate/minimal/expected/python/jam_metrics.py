# generated from metrics_spec.yaml by jamdash — do not edit
"""JAM metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from jam_metrics import JamMetrics

    metrics = JamMetrics()  # prometheus_client's default registry
    metrics.jam_starts_total.inc()

The metrics are prometheus_client's Counter, with leaner update methods (the
``_Lean`` classes below): an update goes straight to the series' value.
Exemplars and negative increments take prometheus_client's own methods, and its
errors. The leaner methods read prometheus_client's private attribute
``_value``, as versions 0.20 to 0.26 define them, and take its own methods where
they are missing.

Tests take an isolated set from ``JamMetrics.fresh()``.

Series budget: at most 1 series in all. prometheus_client also exports a
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

from prometheus_client import REGISTRY, CollectorRegistry, Counter

__all__ = [
    "SERIES_BUDGET",
    "JamMetrics",
]

SERIES_BUDGET = 1
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


class JamMetrics:
    """Every JAM metric of the spec, registered on one registry.

    ``registry`` defaults to prometheus_client's global registry, so the app's
    existing ``/metrics`` handler exports these metrics. Pass ``None`` to leave
    them unregistered.
    """

    __slots__ = (
        "registry",
        "jam_starts_total",
    )

    registry: CollectorRegistry | None
    """The registry these metrics are registered on."""

    jam_starts_total: Counter
    """Times the service started."""

    def __init__(self, registry: CollectorRegistry | None = REGISTRY) -> None:
        self.registry = registry
        self.jam_starts_total = _LeanCounter(
            "jam_starts_total",
            "Times the service started.",
            registry=registry,
        )

    @classmethod
    def fresh(cls) -> JamMetrics:
        """A new set on its own registry, reachable as ``.registry``: for tests."""
        return cls(CollectorRegistry(auto_describe=True))
