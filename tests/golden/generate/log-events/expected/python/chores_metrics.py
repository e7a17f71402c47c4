# generated from metrics_spec.yaml by jamdash — do not edit
"""CHORES metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from chores_metrics import ChoresMetrics

    metrics = ChoresMetrics()  # prometheus_client's default registry
    metrics.chores_jobs_total["ok"].inc()

Labelled metrics are dicts of children, indexed by label value; children for
closed values are bound at registration, so an update is one dict lookup plus
the child's own ``inc()``, ``set()`` or ``observe()``. A label value the spec
does not allow, or a bounded label's value past its ``max_values`` or longer
than its ``max_length``, folds into the label's overflow value and is counted in
``chores_metrics_label_overflow_total``; it never raises.

The metrics are prometheus_client's Counter and Histogram, with leaner update
methods (the ``_Lean`` classes below): an update goes straight to the series'
value, and an observation finds its bucket by bisection. Labelled parents,
exemplars and negative increments take prometheus_client's own methods, and its
errors. The leaner methods read prometheus_client's private attributes
``_buckets``, ``_sum``, ``_upper_bounds`` and ``_value``, as versions 0.20 to
0.26 define them, and take its own methods where they are missing.

Tests take an isolated set from ``ChoresMetrics.fresh()``.

Series budget: at most 10 series in all, whatever label values the app passes.
prometheus_client also exports a ``_created`` sample per counter and histogram
series, outside the budget; ``PROMETHEUS_DISABLE_CREATED_SERIES=True`` turns
them off.

Multiprocess mode: set ``PROMETHEUS_MULTIPROC_DIR`` before prometheus_client is
first imported and serve a ``MultiProcessCollector``; gauges combine the values
of all processes as the spec's ``multiprocess_mode`` says (call
``multiprocess.mark_process_dead(pid)`` when a worker exits, for the ``live``
modes).
"""

from __future__ import annotations

import itertools
import threading
from bisect import bisect_left
from typing import Any, Literal, NamedTuple, TypeVar, cast

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.metrics import MetricWrapperBase

__all__ = [
    "SERIES_BUDGET",
    "ChoresMetrics",
    "LabelledMetric",
    "Outcome",
]

SERIES_BUDGET = 10
"""The most series these metrics can export, per the spec's cardinality budget."""

Outcome = Literal["ok", "failed"]
"""How the job ended."""


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


class _LeanHistogram(Histogram):
    """prometheus_client's Histogram, whose observe() finds the bucket by bisection.

    Histogram.observe() checks on each call that the metric is a child and scans
    the buckets in order; a labelled parent and an exemplar are left to it.
    """

    _lean: Any = None  # a child's (buckets, upper bounds, sum); None: Histogram.observe()

    def _metric_init(self) -> None:
        super()._metric_init()
        try:
            self._lean = (self._buckets, self._upper_bounds, self._sum)
        except AttributeError:  # a prometheus_client that names them otherwise: its own method
            pass

    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
        lean = self._lean
        if lean is None or exemplar:
            super().observe(amount, exemplar)
            return
        buckets, bounds, total = lean
        total.inc(amount)
        index = bisect_left(bounds, amount)  # bounds ascend to +Inf: any number but NaN has one
        if amount <= bounds[index]:  # NaN counts in no bucket, as in Histogram.observe()
            buckets[index].inc(1)


class _Label(NamedTuple):
    """The closed set of values one label may take, and the value the rest fold into."""

    name: str
    overflow: str
    values: frozenset[str]


_OUTCOME = _Label("outcome", "other", frozenset({"ok", "failed"}))

_K = TypeVar("_K")
_M = TypeVar("_M", bound=MetricWrapperBase)


class LabelledMetric(dict[_K, _M]):
    """The children of one labelled metric, indexed by label value.

    Index with one value, or a tuple of values in declared label order::

        family["memory"].inc()
        family["package_submit", "2xx"].inc()

    Children for closed label values exist from the start. Others are bound on
    first use, once their values are checked; a value that cannot be admitted
    is folded into its label's overflow value instead of raising.

    The mapping holds the keys used so far, each as its first caller passed it
    (and folded keys as bound): a call site's constant key is then found by
    identity, without comparing tuples, which keeps a two-label lookup as cheap
    as a one-label one.
    """

    __slots__ = ("_metric", "_labels", "_children", "_folds", "_lock")

    def __init__(self, name: str, metric: _M, labels: tuple[_Label, ...], folds: Counter) -> None:
        super().__init__()
        self._metric = metric
        self._labels = labels
        self._children: dict[tuple[str, ...], _M] = {}
        self._folds = tuple(folds.labels(name, label.name) for label in labels)
        self._lock = threading.Lock()
        if all(label.values for label in labels):
            for values in itertools.product(*(sorted(label.values) for label in labels)):
                self._bind(values)

    def __missing__(self, key: _K) -> _M:
        given: object = key if len(self._labels) > 1 else (key,)
        if not isinstance(given, tuple) or len(given) != len(self._labels):
            given = (None,) * len(self._labels)
        with self._lock:
            values = tuple(self._fold(index, value) for index, value in enumerate(given))
            child = self._children.get(values)
            if child is None:
                child = self._bind(values)
            # Later lookups find the child directly: by the caller's own key object, unless folded.
            dict.__setitem__(self, key if values == given else self._key(values), child)
            return child

    def _fold(self, index: int, value: object) -> str:
        """value when its label admits it, else the label's overflow value, counted."""
        label = self._labels[index]
        if isinstance(value, str) and value in label.values:
            return value
        self._folds[index].inc()
        return label.overflow

    def _key(self, values: tuple[str, ...]) -> _K:
        return cast(_K, values if len(values) > 1 else values[0])

    def _bind(self, values: tuple[str, ...]) -> _M:
        child = self._children[values] = self._metric.labels(*values)
        return child


class ChoresMetrics:
    """Every CHORES metric of the spec, registered on one registry.

    ``registry`` defaults to prometheus_client's global registry, so the app's
    existing ``/metrics`` handler exports these metrics. Pass ``None`` to leave
    them unregistered.
    """

    __slots__ = (
        "registry",
        "chores_job_duration_seconds",
        "chores_jobs_total",
        "chores_metrics_label_overflow_total",
    )

    registry: CollectorRegistry | None
    """The registry these metrics are registered on."""

    chores_job_duration_seconds: Histogram
    """Time one job took."""

    chores_jobs_total: LabelledMetric[Outcome, Counter]
    """Jobs done, by outcome. Labels: outcome."""

    chores_metrics_label_overflow_total: Counter
    """Label values folded into their overflow value because they were unknown or past
    max_values. Labels: metric, label.
    """

    def __init__(self, registry: CollectorRegistry | None = REGISTRY) -> None:
        self.registry = registry
        folds = _LeanCounter(
            "chores_metrics_label_overflow_total",
            "Label values folded into their overflow value because they were unknown or past "
            "max_values.",
            ("metric", "label"),
            registry=registry,
        )
        self.chores_metrics_label_overflow_total = folds
        self.chores_job_duration_seconds = _LeanHistogram(
            "chores_job_duration_seconds",
            "Time one job took.",
            registry=registry,
            unit="seconds",
            buckets=(0.1, 1, 10),
        )
        self.chores_jobs_total = LabelledMetric(
            "chores_jobs_total",
            _LeanCounter(
                "chores_jobs_total",
                "Jobs done, by outcome.",
                ("outcome",),
                registry=registry,
            ),
            (_OUTCOME,),
            folds,
        )

    @classmethod
    def fresh(cls) -> ChoresMetrics:
        """A new set on its own registry, reachable as ``.registry``: for tests."""
        return cls(CollectorRegistry(auto_describe=True))
