# generated from metrics_spec.yaml by jamdash — do not edit
"""JAM metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from jam_metrics import JamMetrics

    metrics = JamMetrics()  # prometheus_client's default registry
    metrics.jam_submits_total["memory", "example"].inc()

Labelled metrics are dicts of children, indexed by label value; children for
closed values are bound at registration, so an update is one dict lookup plus
the child's own ``inc()``, ``set()`` or ``observe()``. A label value the spec
does not allow, or a bounded label's value past its ``max_values`` or longer
than its ``max_length``, folds into the label's overflow value and is counted in
``jam_metrics_label_overflow_total``; it never raises.

The metrics are prometheus_client's Counter, Gauge and Histogram, with leaner
update methods (the ``_Lean`` classes below): an update goes straight to the
series' value, and an observation finds its bucket by bisection. Labelled
parents, exemplars, negative increments and the ``mostrecent`` gauge modes take
prometheus_client's own methods, and its errors. The leaner methods read
prometheus_client's private attributes ``_buckets``, ``_is_most_recent``,
``_sum``, ``_upper_bounds`` and ``_value``, as versions 0.20 to 0.26 define
them, and take its own methods where they are missing.

Tests take an isolated set from ``JamMetrics.fresh()``.

Series budget: at most 47 series in all, whatever label values the app passes.
prometheus_client also exports a ``_created`` sample per counter and histogram
series, outside the budget; ``PROMETHEUS_DISABLE_CREATED_SERIES=True`` turns
them off.

Multiprocess mode: set ``PROMETHEUS_MULTIPROC_DIR`` before prometheus_client is
first imported and serve a ``MultiProcessCollector``; gauges combine the values
of all processes as the spec's ``multiprocess_mode`` says (call
``multiprocess.mark_process_dead(pid)`` when a worker exits, for the ``live``
modes). Bounded labels admit their values through a file in that folder, so all
processes together keep to one ``max_values``.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import threading
from bisect import bisect_left
from typing import Any, Literal, NamedTuple, TypeVar, cast

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.metrics import MetricWrapperBase

__all__ = [
    "SERIES_BUDGET",
    "JamMetrics",
    "LabelledMetric",
    "QuotaReason",
    "Store",
]

SERIES_BUDGET = 47
"""The most series these metrics can export, per the spec's cardinality budget."""

QuotaReason = Literal["too_large", "unsupported_media"]
"""Why an upload was rejected."""

Store = Literal["memory", "postgres"]
"""The backing store."""


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
    """The values a label may take: a closed set, or up to max_values of at most max_length."""

    name: str
    overflow: str
    values: frozenset[str] = frozenset()
    max_values: int = 0
    max_length: int = 0


_QUOTA_REASON = _Label("reason", "unknown", frozenset({"too_large", "unsupported_media"}))

_SERVICE_ID = _Label("service_id", "other", max_values=4, max_length=128)

_STORE = _Label("store", "other", frozenset({"memory", "postgres"}))

_K = TypeVar("_K")
_M = TypeVar("_M", bound=MetricWrapperBase)


class _Admitted:
    """The values a bounded label has admitted so far, at most max_values of them.

    In multiprocess mode the values live in a file under PROMETHEUS_MULTIPROC_DIR,
    locked while read and appended, so all processes share one bound and the
    merged series stay within the budget.
    """

    __slots__ = ("_limit", "_path", "_values")

    def __init__(self, limit: int, directory: str | None, key: str) -> None:
        self._limit = limit
        self._path = os.path.join(directory, f"{key}.admitted") if directory else None
        self._values: set[str] = set()

    def admit(self, value: str) -> bool:
        if value not in self._values and len(self._values) < self._limit:
            if self._path is None:
                self._values.add(value)
            else:
                self._admit_shared(self._path, value)
        return value in self._values

    def _admit_shared(self, path: str, value: str) -> None:
        """Learns what other processes admitted, and appends value if there is room.

        A line that is not a JSON string (torn by a writer killed mid-line) is skipped.
        """
        try:
            with open(path, "a+b") as shared:
                fcntl.flock(shared, fcntl.LOCK_EX)
                shared.seek(0)
                line = b"\n"
                for line in shared:
                    try:
                        known = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(known, str):
                        self._values.add(known)
                if value not in self._values and len(self._values) < self._limit:
                    torn = b"" if line.endswith(b"\n") else b"\n"  # end a torn last line first
                    shared.write(torn + json.dumps(value).encode() + b"\n")
                    self._values.add(value)
        except OSError:
            pass  # a file that cannot be read or written admits nothing: the value folds


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

    __slots__ = ("_metric", "_labels", "_children", "_admitted", "_folds", "_lock")

    def __init__(self, name: str, metric: _M, labels: tuple[_Label, ...], folds: Counter) -> None:
        super().__init__()
        self._metric = metric
        self._labels = labels
        self._children: dict[tuple[str, ...], _M] = {}
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        self._admitted = tuple(
            _Admitted(label.max_values, directory, f"{name}.{label.name}") for label in labels
        )
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
        if isinstance(value, str) and value != label.overflow:
            if value in label.values or (
                len(value) <= label.max_length and self._admitted[index].admit(value)
            ):
                return value
        self._folds[index].inc()
        return label.overflow

    def _key(self, values: tuple[str, ...]) -> _K:
        return cast(_K, values if len(values) > 1 else values[0])

    def _bind(self, values: tuple[str, ...]) -> _M:
        child = self._children[values] = self._metric.labels(*values)
        return child


class JamMetrics:
    """Every JAM metric of the spec, registered on one registry.

    ``registry`` defaults to prometheus_client's global registry, so the app's
    existing ``/metrics`` handler exports these metrics. Pass ``None`` to leave
    them unregistered.
    """

    __slots__ = (
        "registry",
        "jam_config_max_upload_bytes",
        "jam_metrics_label_overflow_total",
        "jam_queue_gauge",
        "jam_submits_total",
        "jam_upload_rejects_total",
        "jam_upload_size_bytes",
        "jam_uploads_total",
    )

    registry: CollectorRegistry | None
    """The registry these metrics are registered on."""

    jam_config_max_upload_bytes: Gauge
    """Configured largest accepted upload."""

    jam_metrics_label_overflow_total: Counter
    """Label values folded into their overflow value because they were unknown or past
    max_values. Labels: metric, label.
    """

    jam_queue_gauge: Gauge
    """Packages waiting."""

    jam_submits_total: LabelledMetric[tuple[Store, str], Counter]
    """Packages submitted; service_id shows which service drives the load (bounded to 4).
    Labels: store, service_id.
    """

    jam_upload_rejects_total: LabelledMetric[QuotaReason, Counter]
    """Uploads rejected, by reason. Labels: reason."""

    jam_upload_size_bytes: LabelledMetric[Store, Histogram]
    """Size of each upload. Labels: store."""

    jam_uploads_total: LabelledMetric[Store, Counter]
    """Uploads accepted. Labels: store."""

    def __init__(self, registry: CollectorRegistry | None = REGISTRY) -> None:
        self.registry = registry
        folds = _LeanCounter(
            "jam_metrics_label_overflow_total",
            "Label values folded into their overflow value because they were unknown or past "
            "max_values.",
            ("metric", "label"),
            registry=registry,
        )
        self.jam_metrics_label_overflow_total = folds
        self.jam_config_max_upload_bytes = _LeanGauge(
            "jam_config_max_upload_bytes",
            "Configured largest accepted upload.",
            registry=registry,
            unit="bytes",
            multiprocess_mode="max",
        )
        self.jam_queue_gauge = _LeanGauge(
            "jam_queue_gauge",
            "Packages waiting.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.jam_submits_total = LabelledMetric(
            "jam_submits_total",
            _LeanCounter(
                "jam_submits_total",
                "Packages submitted; service_id shows which service drives the load (bounded to "
                "4).",
                ("store", "service_id"),
                registry=registry,
            ),
            (_STORE, _SERVICE_ID),
            folds,
        )
        self.jam_upload_rejects_total = LabelledMetric(
            "jam_upload_rejects_total",
            _LeanCounter(
                "jam_upload_rejects_total",
                "Uploads rejected, by reason.",
                ("reason",),
                registry=registry,
            ),
            (_QUOTA_REASON,),
            folds,
        )
        self.jam_upload_size_bytes = LabelledMetric(
            "jam_upload_size_bytes",
            _LeanHistogram(
                "jam_upload_size_bytes",
                "Size of each upload.",
                ("store",),
                registry=registry,
                unit="bytes",
                buckets=(1024, 65536, 1048576),
            ),
            (_STORE,),
            folds,
        )
        self.jam_uploads_total = LabelledMetric(
            "jam_uploads_total",
            _LeanCounter(
                "jam_uploads_total",
                "Uploads accepted.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )

    @classmethod
    def fresh(cls) -> JamMetrics:
        """A new set on its own registry, reachable as ``.registry``: for tests."""
        return cls(CollectorRegistry(auto_describe=True))
