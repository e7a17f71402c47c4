# generated from metrics_spec.yaml by jamdash — do not edit
"""JAM metrics on prometheus_client, generated from metrics_spec.yaml.

Register them once, on the registry your ``/metrics`` handler already serves::

    from jam_metrics import JamMetrics

    metrics = JamMetrics()  # prometheus_client's default registry
    metrics.jam_attestations_total["memory"].inc()

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

Series budget: at most 384 series in all, whatever label values the app passes.
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
    "CodeClass",
    "Endpoint",
    "FailedStage",
    "QuotaReason",
    "Stage",
    "Store",
]

SERIES_BUDGET = 384
"""The most series these metrics can export, per the spec's cardinality budget."""

CodeClass = Literal["2xx", "3xx", "4xx", "5xx"]
"""The HTTP status class of the response."""

Endpoint = Literal[
    "preimage_put",
    "preimage_get",
    "preimage_head",
    "package_submit",
    "package_list",
    "package_get",
    "status",
    "healthz",
]
"""The HTTP endpoint, by route name rather than path, so ids never become label values."""

FailedStage = Literal["refine", "attest", "accumulate", "attempts_exhausted"]
"""The stage whose failure failed a work package, or attempts_exhausted when its processing
lease expired on each of its max_processing_attempts claims (a package that crashes its
replica).
"""

QuotaReason = Literal["too_large", "unsupported_media"]
"""Why a preimage upload was rejected by a quota."""

Stage = Literal["refine", "attest", "accumulate"]
"""The processing stage of a work package."""

Store = Literal["memory", "postgres"]
"""The backing store serving the request."""


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


_CODE_CLASS = _Label("code_class", "other", frozenset({"2xx", "3xx", "4xx", "5xx"}))

_ENDPOINT = _Label("endpoint", "other", frozenset({
    "preimage_put",
    "preimage_get",
    "preimage_head",
    "package_submit",
    "package_list",
    "package_get",
    "status",
    "healthz",
}))

_FAILED_STAGE = _Label("stage", "other", frozenset({
    "refine",
    "attest",
    "accumulate",
    "attempts_exhausted",
}))

_QUOTA_REASON = _Label("reason", "other", frozenset({"too_large", "unsupported_media"}))

_SERVICE_ID = _Label("service_id", "other", max_values=16, max_length=128)

_STAGE = _Label("stage", "other", frozenset({"refine", "attest", "accumulate"}))

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
        "jam_attestations_total",
        "jam_cleanup_deleted_packages_total",
        "jam_cleanup_deleted_preimages_total",
        "jam_cleanup_deleted_reports_total",
        "jam_cleanup_failures_total",
        "jam_cleanup_last_success_timestamp_seconds",
        "jam_cleanup_runs_total",
        "jam_config_max_pending_packages",
        "jam_config_max_preimage_bytes",
        "jam_config_rate_limit_requests",
        "jam_http_requests_total",
        "jam_metrics_label_overflow_total",
        "jam_package_pending_gauge",
        "jam_package_process_duration_seconds",
        "jam_package_process_fail_total",
        "jam_package_process_total",
        "jam_package_stage_duration_seconds",
        "jam_package_submit_total",
        "jam_pending_cap_hits_total",
        "jam_preimage_bytes_total",
        "jam_preimage_get_total",
        "jam_preimage_head_total",
        "jam_preimage_put_duration_seconds",
        "jam_preimage_put_size_bytes",
        "jam_preimage_put_total",
        "jam_preimage_quota_reject_total",
        "jam_rate_limit_hits_total",
        "jam_reports_total",
    )

    registry: CollectorRegistry | None
    """The registry these metrics are registered on."""

    jam_attestations_total: LabelledMetric[Store, Counter]
    """Attestations produced by the attest stage. Labels: store."""

    jam_cleanup_deleted_packages_total: LabelledMetric[Store, Counter]
    """Work packages deleted by cleanup because they were older than the cutoff. Labels: store."""

    jam_cleanup_deleted_preimages_total: LabelledMetric[Store, Counter]
    """Preimages deleted by cleanup because they were older than the cutoff. Labels: store."""

    jam_cleanup_deleted_reports_total: LabelledMetric[Store, Counter]
    """Reports deleted by cleanup because they were older than the cutoff. Labels: store."""

    jam_cleanup_failures_total: LabelledMetric[Store, Counter]
    """Cleanup runs that failed before finishing. Labels: store."""

    jam_cleanup_last_success_timestamp_seconds: LabelledMetric[Store, Gauge]
    """Unix time of the last cleanup run that finished successfully. Labels: store."""

    jam_cleanup_runs_total: LabelledMetric[Store, Counter]
    """Cleanup runs started. Labels: store."""

    jam_config_max_pending_packages: Gauge
    """Configured cap on pending work packages; submissions past it are rejected."""

    jam_config_max_preimage_bytes: Gauge
    """Configured largest accepted preimage."""

    jam_config_rate_limit_requests: Gauge
    """Configured per-token rate limit, in package submissions per minute."""

    jam_http_requests_total: LabelledMetric[tuple[Endpoint, CodeClass], Counter]
    """HTTP requests answered, by endpoint and status class; errors are the 4xx and 5xx
    classes. Labels: endpoint, code_class.
    """

    jam_metrics_label_overflow_total: Counter
    """Label values folded into their overflow value because they were unknown or past
    max_values. Labels: metric, label.
    """

    jam_package_pending_gauge: LabelledMetric[Store, Gauge]
    """Work packages accepted but not yet processed. Labels: store."""

    jam_package_process_duration_seconds: LabelledMetric[Store, Histogram]
    """Time to process one work package through refine, attest and accumulate. Labels: store."""

    jam_package_process_fail_total: LabelledMetric[tuple[Store, FailedStage], Counter]
    """Work packages whose processing failed, by the stage that failed; attempts_exhausted
    counts those whose processing lease expired on every attempt allowed. Labels: store,
    stage.
    """

    jam_package_process_total: LabelledMetric[Store, Counter]
    """Work packages the worker finished processing, successfully or not. Labels: store."""

    jam_package_stage_duration_seconds: LabelledMetric[Stage, Histogram]
    """Time spent in one processing stage of a work package. Labels: stage."""

    jam_package_submit_total: LabelledMetric[tuple[Store, str], Counter]
    """Work packages accepted for processing. service_id is kept because per-service load is
    the first question when the queue grows; it is bounded to 16 values and the rest fold
    into "other". Labels: store, service_id.
    """

    jam_pending_cap_hits_total: LabelledMetric[Store, Counter]
    """Package submissions rejected because the pending-package cap was reached. Labels: store."""

    jam_preimage_bytes_total: LabelledMetric[Store, Counter]
    """Bytes of preimage data stored by accepted uploads. Labels: store."""

    jam_preimage_get_total: LabelledMetric[Store, Counter]
    """Preimage reads (GET) served. Labels: store."""

    jam_preimage_head_total: LabelledMetric[Store, Counter]
    """Preimage existence checks (HEAD) served. Labels: store."""

    jam_preimage_put_duration_seconds: LabelledMetric[Store, Histogram]
    """Time to validate and store one preimage upload. Labels: store."""

    jam_preimage_put_size_bytes: LabelledMetric[Store, Histogram]
    """Size of each preimage upload body, accepted or not, for the upload-size distribution.
    Labels: store.
    """

    jam_preimage_put_total: LabelledMetric[Store, Counter]
    """Preimage uploads (PUT) accepted and stored. Labels: store."""

    jam_preimage_quota_reject_total: LabelledMetric[QuotaReason, Counter]
    """Preimage uploads rejected by a quota, by reason. Labels: reason."""

    jam_rate_limit_hits_total: LabelledMetric[Endpoint, Counter]
    """Requests rejected with 429 because the token exceeded its per-minute rate limit. Labels:
    endpoint.
    """

    jam_reports_total: LabelledMetric[Store, Counter]
    """Reports produced by the accumulate stage. Labels: store."""

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
        self.jam_attestations_total = LabelledMetric(
            "jam_attestations_total",
            _LeanCounter(
                "jam_attestations_total",
                "Attestations produced by the attest stage.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_deleted_packages_total = LabelledMetric(
            "jam_cleanup_deleted_packages_total",
            _LeanCounter(
                "jam_cleanup_deleted_packages_total",
                "Work packages deleted by cleanup because they were older than the cutoff.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_deleted_preimages_total = LabelledMetric(
            "jam_cleanup_deleted_preimages_total",
            _LeanCounter(
                "jam_cleanup_deleted_preimages_total",
                "Preimages deleted by cleanup because they were older than the cutoff.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_deleted_reports_total = LabelledMetric(
            "jam_cleanup_deleted_reports_total",
            _LeanCounter(
                "jam_cleanup_deleted_reports_total",
                "Reports deleted by cleanup because they were older than the cutoff.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_failures_total = LabelledMetric(
            "jam_cleanup_failures_total",
            _LeanCounter(
                "jam_cleanup_failures_total",
                "Cleanup runs that failed before finishing.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_last_success_timestamp_seconds = LabelledMetric(
            "jam_cleanup_last_success_timestamp_seconds",
            _LeanGauge(
                "jam_cleanup_last_success_timestamp_seconds",
                "Unix time of the last cleanup run that finished successfully.",
                ("store",),
                registry=registry,
                unit="seconds",
                multiprocess_mode="max",
            ),
            (_STORE,),
            folds,
        )
        self.jam_cleanup_runs_total = LabelledMetric(
            "jam_cleanup_runs_total",
            _LeanCounter(
                "jam_cleanup_runs_total",
                "Cleanup runs started.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_config_max_pending_packages = _LeanGauge(
            "jam_config_max_pending_packages",
            "Configured cap on pending work packages; submissions past it are rejected.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.jam_config_max_preimage_bytes = _LeanGauge(
            "jam_config_max_preimage_bytes",
            "Configured largest accepted preimage.",
            registry=registry,
            unit="bytes",
            multiprocess_mode="max",
        )
        self.jam_config_rate_limit_requests = _LeanGauge(
            "jam_config_rate_limit_requests",
            "Configured per-token rate limit, in package submissions per minute.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.jam_http_requests_total = LabelledMetric(
            "jam_http_requests_total",
            _LeanCounter(
                "jam_http_requests_total",
                "HTTP requests answered, by endpoint and status class; errors are the 4xx and "
                "5xx classes.",
                ("endpoint", "code_class"),
                registry=registry,
            ),
            (_ENDPOINT, _CODE_CLASS),
            folds,
        )
        self.jam_package_pending_gauge = LabelledMetric(
            "jam_package_pending_gauge",
            _LeanGauge(
                "jam_package_pending_gauge",
                "Work packages accepted but not yet processed.",
                ("store",),
                registry=registry,
                multiprocess_mode="livesum",
            ),
            (_STORE,),
            folds,
        )
        self.jam_package_process_duration_seconds = LabelledMetric(
            "jam_package_process_duration_seconds",
            _LeanHistogram(
                "jam_package_process_duration_seconds",
                "Time to process one work package through refine, attest and accumulate.",
                ("store",),
                registry=registry,
                unit="seconds",
                buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30),
            ),
            (_STORE,),
            folds,
        )
        self.jam_package_process_fail_total = LabelledMetric(
            "jam_package_process_fail_total",
            _LeanCounter(
                "jam_package_process_fail_total",
                "Work packages whose processing failed, by the stage that failed; "
                "attempts_exhausted counts those whose processing lease expired on every attempt "
                "allowed.",
                ("store", "stage"),
                registry=registry,
            ),
            (_STORE, _FAILED_STAGE),
            folds,
        )
        self.jam_package_process_total = LabelledMetric(
            "jam_package_process_total",
            _LeanCounter(
                "jam_package_process_total",
                "Work packages the worker finished processing, successfully or not.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_package_stage_duration_seconds = LabelledMetric(
            "jam_package_stage_duration_seconds",
            _LeanHistogram(
                "jam_package_stage_duration_seconds",
                "Time spent in one processing stage of a work package.",
                ("stage",),
                registry=registry,
                unit="seconds",
                buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            ),
            (_STAGE,),
            folds,
        )
        self.jam_package_submit_total = LabelledMetric(
            "jam_package_submit_total",
            _LeanCounter(
                "jam_package_submit_total",
                "Work packages accepted for processing. service_id is kept because per-service "
                "load is the first question when the queue grows; it is bounded to 16 values and "
                'the rest fold into "other".',
                ("store", "service_id"),
                registry=registry,
            ),
            (_STORE, _SERVICE_ID),
            folds,
        )
        self.jam_pending_cap_hits_total = LabelledMetric(
            "jam_pending_cap_hits_total",
            _LeanCounter(
                "jam_pending_cap_hits_total",
                "Package submissions rejected because the pending-package cap was reached.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_bytes_total = LabelledMetric(
            "jam_preimage_bytes_total",
            _LeanCounter(
                "jam_preimage_bytes_total",
                "Bytes of preimage data stored by accepted uploads.",
                ("store",),
                registry=registry,
                unit="bytes",
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_get_total = LabelledMetric(
            "jam_preimage_get_total",
            _LeanCounter(
                "jam_preimage_get_total",
                "Preimage reads (GET) served.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_head_total = LabelledMetric(
            "jam_preimage_head_total",
            _LeanCounter(
                "jam_preimage_head_total",
                "Preimage existence checks (HEAD) served.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_put_duration_seconds = LabelledMetric(
            "jam_preimage_put_duration_seconds",
            _LeanHistogram(
                "jam_preimage_put_duration_seconds",
                "Time to validate and store one preimage upload.",
                ("store",),
                registry=registry,
                unit="seconds",
                buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_put_size_bytes = LabelledMetric(
            "jam_preimage_put_size_bytes",
            _LeanHistogram(
                "jam_preimage_put_size_bytes",
                "Size of each preimage upload body, accepted or not, for the upload-size "
                "distribution.",
                ("store",),
                registry=registry,
                unit="bytes",
                buckets=(256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216),
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_put_total = LabelledMetric(
            "jam_preimage_put_total",
            _LeanCounter(
                "jam_preimage_put_total",
                "Preimage uploads (PUT) accepted and stored.",
                ("store",),
                registry=registry,
            ),
            (_STORE,),
            folds,
        )
        self.jam_preimage_quota_reject_total = LabelledMetric(
            "jam_preimage_quota_reject_total",
            _LeanCounter(
                "jam_preimage_quota_reject_total",
                "Preimage uploads rejected by a quota, by reason.",
                ("reason",),
                registry=registry,
            ),
            (_QUOTA_REASON,),
            folds,
        )
        self.jam_rate_limit_hits_total = LabelledMetric(
            "jam_rate_limit_hits_total",
            _LeanCounter(
                "jam_rate_limit_hits_total",
                "Requests rejected with 429 because the token exceeded its per-minute rate limit.",
                ("endpoint",),
                registry=registry,
            ),
            (_ENDPOINT,),
            folds,
        )
        self.jam_reports_total = LabelledMetric(
            "jam_reports_total",
            _LeanCounter(
                "jam_reports_total",
                "Reports produced by the accumulate stage.",
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
