# generated from metrics_spec.yaml by jamdash — do not edit
"""JAM log events, spans, status and health, generated from metrics_spec.yaml.

Wire it once at start-up, next to the metrics::

    from jam_metrics import JamMetrics
    from jam_telemetry import Telemetry

    telemetry = Telemetry(JamMetrics(), config)  # config: any object with the StatusConfig fields

Then, in the app::

    telemetry.package_submit(...)  # one JSON log record + its paired metrics
    with telemetry.incoming(request.headers):  # honours an incoming ``traceparent``
        with telemetry.span_preimage_put(...):  # a span when tracing is on, ~nothing when off
            ...
    block = telemetry.status_block()  # the JAM block of /system/status
    code, body = telemetry.health(store.ping)  # /jam/healthz: 200, or 503 with reasons

Events: each helper takes keyword-only, typed fields and emits exactly one JSON
record, ``{"event": name, <declared fields>}``, at INFO (WARNING when its error
is set) on the stdlib logger ``jam``, plus ``trace_id`` and ``span_id``
when a span is active (only ``trace_id``, the caller's, when tracing is off and
an incoming ``traceparent`` is passed through). It also makes the event's paired
metric updates, so the metrics and the logs cannot disagree.

Field hygiene:

- secret fields (``*_hash``) are hashed before anything else sees them: HMAC-SHA256
  keyed by ``hash_key`` or the ``JAM_LOG_HASH_KEY`` environment variable, cut to
  the first 16 hex characters. With no key, a random key is drawn once per
  process (hashes then only correlate within one process) and a warning is logged once.
  A secret that is not ``str`` or ``bytes`` raises TypeError before anything is counted.
- ``bytes`` are never logged: a size field takes the body or its length and logs
  the length; bytes passed anywhere else are logged as ``<N bytes>``.
- identifiers are cut at 128 characters and error text at 512; control
  characters are escaped, so a crafted value cannot forge a log line.
- error text never carries a known secret: the bearer token of the request being handled
  (``incoming`` reads its ``authorization`` header) and the event's own secret fields are
  replaced by ``<redacted>`` wherever they appear as is, percent-encoded, base64, hex or
  JSON/repr-escaped (secrets under 4 characters are not searched for).
- a duration that is NaN or infinite is logged as ``null`` and not observed.
Spans are off unless ``tracing=True`` or ``JAM_TRACING=1`` and opentelemetry is
installed; off, a span helper returns a shared object that does nothing (its
paired metrics still update). On, spans get the declared names, attributes and
parent/child structure. ``incoming``/``inject`` carry ``traceparent`` through
OpenTelemetry's W3C propagator; without tracing the header is passed through as is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, MutableMapping
from contextvars import ContextVar, Token
from datetime import datetime, timezone
from math import isfinite
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypedDict, cast
from urllib.parse import quote, quote_plus

from jam_metrics import JamMetrics, LabelledMetric, Endpoint, FailedStage, QuotaReason, Store

if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge, Histogram

try:
    from opentelemetry import context as otel_context
    from opentelemetry import trace as otel_trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
except ImportError:  # opentelemetry is optional: without it spans stay off
    HAVE_OPENTELEMETRY = False
else:
    HAVE_OPENTELEMETRY = True

__all__ = [
    "Blob",
    "HealthBody",
    "Scope",
    "StatusBlock",
    "StatusConfig",
    "Telemetry",
    "LimitRejectReason",
    "DeletedCounts",
    "ProcessScope",
    "check_health",
    "status_block",
]

LOGGER = "jam"
"""The stdlib logger every event is emitted on."""
HASH_KEY_ENV = "JAM_LOG_HASH_KEY"
"""Environment variable holding the HMAC key for secret fields."""
HASH_LENGTH = 16
"""Hex characters kept of each HMAC-SHA256 digest."""
TRACING_ENV = "JAM_TRACING"
"""Environment variable that switches spans on: 1, true, yes or on."""
IDENTIFIER_MAX = 128
"""Longest identifier logged, in characters."""
ERROR_TEXT_MAX = 512
"""Longest error text logged, in characters."""
CLEANUP_INTERVAL_SECONDS = 600
"""How often the cleanup runner runs (10m)."""
CLEANUP_GRACE_SECONDS = 120
"""Slack past the interval before the cleanup runner counts as stale (2m)."""

Blob = bytes | bytearray | memoryview
"""Raw data: never logged, only measured."""

LimitRejectReason = Literal["rate_limit", "pending_cap", "too_large", "unsupported_media"]
"""Which limit rejected the request."""


class DeletedCounts(TypedDict):
    """How many records of each kind were deleted."""

    packages: int
    reports: int
    preimages: int


_LIMIT_REJECT_REASON_VALUES = frozenset({
    "rate_limit",
    "pending_cap",
    "too_large",
    "unsupported_media",
})

_QUOTA_REASON_VALUES = frozenset({"too_large", "unsupported_media"})

_STORE_VALUES = frozenset({"memory", "postgres"})

_log = logging.getLogger(LOGGER)
_warned: set[str] = set()
_incoming: ContextVar[str | None] = ContextVar("jam_traceparent", default=None)
_credential: ContextVar[str | None] = ContextVar("jam_credential", default=None)
_SECRET_MIN = 4  # shorter secrets are not searched for: they would redact ordinary text
_TRACEPARENT_MAX = 512  # longer incoming headers are not passed through
_TRACEPARENT = re.compile(
    r"(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-[!-~]*)?"
)
_ESCAPES = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}
_encode = json.JSONEncoder(
    separators=(",", ":"), default=lambda value: f"<{type(value).__name__}>"
).encode


# HMAC-SHA256 (RFC 2104) as the stdlib's hmac module computes it, with the key schedule done once:
# a token hash then costs two hash copies instead of a fresh HMAC set-up.
_BLOCK = hashlib.sha256().block_size
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def _hmac_pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


_PROCESS_KEY = os.urandom(32)
"""The HMAC key when none is configured: one per process."""


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        _log.warning(_encode({"event": key, "message": message}))


def _text(value: object, limit: int) -> str:
    """value as bounded, printable text: bytes become their size, control characters escaped."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{value.nbytes if isinstance(value, memoryview) else len(value)} bytes>"
    elif isinstance(value, BaseException):
        text = f"{type(value).__name__}: {value}"
    else:
        text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    if not text.isprintable():
        text = text.translate(_ESCAPES)
        if len(text) > limit + 1:  # escapes lengthen the text: cut again
            text = text[:limit] + "…"
    return text


def _secret_forms(secret: str | bytes) -> set[str]:
    """How a secret may appear in error text: as is, percent-encoded, base64, hex, escaped."""
    raw = secret if isinstance(secret, bytes) else secret.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "replace")
    b64 = base64.b64encode(raw).decode()
    url64 = base64.urlsafe_b64encode(raw).decode()
    forms = {text, quote(text, safe=""), quote_plus(text), b64, b64.rstrip("="), url64,
             url64.rstrip("="), raw.hex(), json.dumps(text)[1:-1], repr(text)[1:-1]}
    return {form for form in forms if len(form) >= _SECRET_MIN}


def _error(value: object, *secrets: str | bytes) -> str:
    """Error text, bounded and printable, with every known secret replaced by ``<redacted>``."""
    if isinstance(value, BaseException):
        text = f"{type(value).__name__}: {value}"
    elif isinstance(value, (bytes, bytearray, memoryview)):
        return _text(value, ERROR_TEXT_MAX)
    else:
        text = str(value)
    credential = _credential.get()
    for secret in (*secrets, *((credential,) if credential else ())):
        if len(secret) >= _SECRET_MIN:
            for form in sorted(_secret_forms(secret), key=len, reverse=True):
                text = text.replace(form, "<redacted>")
    return _text(text, ERROR_TEXT_MAX)


def _ms(value: float) -> float | None:
    """A duration in milliseconds for the log: rounded, or null when it is NaN or infinite."""
    return round(value, 3) if isfinite(value) else None


def _size(value: int | Blob) -> int:
    if isinstance(value, int):
        return value
    return value.nbytes if isinstance(value, memoryview) else len(value)


def _timestamp(value: float | datetime) -> str:
    """ISO 8601 in UTC; a naive datetime is taken to be UTC already."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        moment = datetime.fromtimestamp(value, timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _tracing_requested(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return os.environ.get(TRACING_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


class StatusConfig(Protocol):
    """The host configuration the status block reads: any object with these attributes."""

    @property
    def enabled(self) -> bool:
        """Whether the JAM endpoints are served."""

    @property
    def store(self) -> str:
        """The backing store."""

    @property
    def rate_limit_per_minute(self) -> int:
        """Per-token submissions allowed per minute."""

    @property
    def max_preimage_bytes(self) -> int:
        """Largest accepted preimage, in bytes."""

    @property
    def max_pending_packages(self) -> int:
        """Cap on pending work packages."""

    @property
    def cleanup_enabled(self) -> bool:
        """Whether the cleanup runner deletes old records."""


class StatusBlock(TypedDict):
    """The JAM block of ``/system/status``."""

    enabled: bool
    store: Store
    rate_limit_per_minute: int
    max_preimage_bytes: int
    max_pending_packages: int
    cleanup_enabled: bool


class HealthBody(TypedDict):
    """The body of ``/jam/healthz``: ``reasons`` lists what failed (empty when ok)."""

    status: Literal["ok", "unavailable"]
    reasons: list[str]


def status_block(config: StatusConfig) -> StatusBlock:
    """The JAM block of ``/system/status``, read from the host's configuration."""
    return {
        "enabled": bool(config.enabled),
        "store": _checked_store(config.store),
        "rate_limit_per_minute": int(config.rate_limit_per_minute),
        "max_preimage_bytes": int(config.max_preimage_bytes),
        "max_pending_packages": int(config.max_pending_packages),
        "cleanup_enabled": bool(config.cleanup_enabled),
    }


def _checked_store(value: str) -> Store:
    if value not in _STORE_VALUES:
        raise ValueError(f"store {value!r} is not one of {sorted(_STORE_VALUES)}")
    return cast(Store, value)


def check_health(store_ok: bool, cleanup_enabled: bool, last_cleanup: float | None,
                 started: float, now: float) -> tuple[int, HealthBody]:
    """200 when the store answers and the cleanup runner is on time, else 503 with the reasons.

    Reasons: ``store_unreachable``; ``cleanup_stale`` (the last successful run is
    older than the interval plus grace); ``cleanup_never_succeeded`` (none yet,
    and the process has been up longer than that). Cleanup is not checked when
    it is disabled. Times are Unix seconds.
    """
    reasons = []
    if not store_ok:
        reasons.append("store_unreachable")
    if cleanup_enabled:
        window = CLEANUP_INTERVAL_SECONDS + CLEANUP_GRACE_SECONDS
        if last_cleanup is not None and now - last_cleanup > window:
            reasons.append("cleanup_stale")
        elif last_cleanup is None and now - started > window:
            reasons.append("cleanup_never_succeeded")
    if reasons:
        return 503, {"status": "unavailable", "reasons": reasons}
    return 200, {"status": "ok", "reasons": []}


class Scope:
    """What span helpers return, for a ``with`` statement; this base does nothing."""

    __slots__ = ()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def _context(self) -> otel_context.Context | None:
        """The OpenTelemetry context children start in: None when not traced."""
        return None


_QUIET = Scope()


class _Counted(Scope):
    """Tracing off, a span whose paired metrics are counters: counts successful exits.

    It holds no per-call state, so one instance serves every call and thread.
    """

    __slots__ = ("_counters",)

    def __init__(self, counters: tuple[Counter, ...]) -> None:
        self._counters = counters

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            for counter in self._counters:
                counter.inc()


class _Timed(_Counted):
    """Tracing off, a span observing its duration: one instance per call."""

    __slots__ = ("_histogram", "_start")

    def __init__(self, histogram: Histogram | None, counters: tuple[Counter, ...]) -> None:
        super().__init__(counters)
        self._histogram = histogram
        self._start = 0.0

    def __enter__(self) -> Self:
        self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._histogram is not None:
            self._histogram.observe(time.perf_counter() - self._start)
        super().__exit__(exc_type, exc, tb)


class _Traced(_Timed):
    """An OpenTelemetry span, current while the ``with`` block runs, plus its paired metrics."""

    __slots__ = ("_tracer", "_name", "_attributes", "_parent", "_span", "_token")

    def __init__(self, tracer: otel_trace.Tracer, name: str, attributes: dict[str, str | int],
                 parent: otel_context.Context | None, histogram: Histogram | None,
                 counters: tuple[Counter, ...]) -> None:
        super().__init__(histogram, counters)
        self._tracer = tracer
        self._name = name
        self._attributes = attributes
        self._parent = parent
        self._span: otel_trace.Span = otel_trace.INVALID_SPAN
        self._token: Token[otel_context.Context] | None = None

    def __enter__(self) -> Self:
        self._span = self._tracer.start_span(self._name, self._parent, attributes=self._attributes)
        self._token = otel_context.attach(otel_trace.set_span_in_context(self._span))
        self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        super().__exit__(exc_type, exc, tb)
        if self._token is not None:
            otel_context.detach(self._token)
        if exc is not None:
            self._span.record_exception(exc)
            status = otel_trace.Status(otel_trace.StatusCode.ERROR, type(exc).__name__)
            self._span.set_status(status)
        self._span.end()

    def _context(self) -> otel_context.Context | None:
        return otel_trace.set_span_in_context(self._span)


class _Incoming(Scope):
    """Makes an incoming trace context current (OpenTelemetry's, or the raw header), and the
    request's credential known, so error text can be scrubbed of it."""

    __slots__ = (
        "_context_in", "_header", "_credential", "_token", "_header_token", "_credential_token"
    )

    def __init__(self, context: otel_context.Context | None, header: str | None,
                 credential: str | None = None) -> None:
        self._context_in = context
        self._header = header
        self._credential = credential
        self._token: Token[otel_context.Context] | None = None
        self._header_token: Token[str | None] | None = None
        self._credential_token: Token[str | None] | None = None

    def __enter__(self) -> Self:
        if self._context_in is not None:
            self._token = otel_context.attach(self._context_in)
        else:
            self._header_token = _incoming.set(self._header)
        if self._credential is not None:
            self._credential_token = _credential.set(self._credential)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._token is not None:
            otel_context.detach(self._token)
        if self._header_token is not None:
            _incoming.reset(self._header_token)
        if self._credential_token is not None:
            _credential.reset(self._credential_token)


class ProcessScope(Scope):
    """``jam.process``: start its children from it, inside its ``with`` block."""

    __slots__ = ("_telemetry", "_scope")

    def __init__(self, telemetry: Telemetry, scope: Scope) -> None:
        self._telemetry = telemetry
        self._scope = scope

    def __enter__(self) -> Self:
        self._scope.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._scope.__exit__(exc_type, exc, tb)

    def refine(self) -> Scope:
        """``jam.process.refine``: The refine stage.

        Metrics, traced or not: ``jam_package_stage_duration_seconds`` observes its duration
        (s).
        """
        return self._telemetry._span_process_refine(self._scope._context())

    def attest(self) -> Scope:
        """``jam.process.attest``: The attest stage; each successful attest produces one
        attestation.

        Metrics, traced or not: ``jam_package_stage_duration_seconds`` observes its duration
        (s); ``jam_attestations_total`` += 1.
        """
        return self._telemetry._span_process_attest(self._scope._context())

    def accumulate(self) -> Scope:
        """``jam.process.accumulate``: The accumulate stage; each successful accumulate produces
        one report.

        Metrics, traced or not: ``jam_package_stage_duration_seconds`` observes its duration
        (s); ``jam_reports_total`` += 1.
        """
        return self._telemetry._span_process_accumulate(self._scope._context())


class Telemetry:
    """JAM log events, spans, status and health, bound to one metrics set.

    ``metrics`` receives every paired update; ``config`` is the host's configuration
    (see ``StatusConfig``), read again by ``status_block``. ``hash_key`` keys the
    token hash (default: ``$JAM_LOG_HASH_KEY``). ``tracing`` switches spans on (default:
    ``$JAM_TRACING``); ``tracer_provider`` defaults to OpenTelemetry's global one.
    """

    def __init__(self, metrics: JamMetrics, config: StatusConfig, *,
                 hash_key: str | bytes | None = None,
                 tracing: bool | None = None,
                 tracer_provider: otel_trace.TracerProvider | None = None) -> None:
        self._config = config
        store = _checked_store(config.store)
        self._store: Store = store
        self._logger = _log
        key = hash_key if hash_key is not None else os.environ.get(HASH_KEY_ENV)
        if not key:
            _warn_once("jam_log_hash_key_missing",
                       f"no hash key: set ${HASH_KEY_ENV}; token hashes correlate only within "
                       "this process")
            key = _PROCESS_KEY
        self._inner, self._outer = _hmac_pads(key.encode() if isinstance(key, str) else key)
        self._tracing = _tracing_requested(tracing)
        if self._tracing and not HAVE_OPENTELEMETRY:
            _warn_once("jam_tracing_unavailable",
                       "tracing requested but opentelemetry is not installed")
            self._tracing = False
        if self._tracing:
            self._tracer = otel_trace.get_tracer(LOGGER, tracer_provider=tracer_provider)
            self._propagator = TraceContextTextMapPropagator()
        self._started = time.time()
        self._last_cleanup: float | None = None
        self._jam_package_submit_total_family: LabelledMetric[Any, Counter] = (
            metrics.jam_package_submit_total
        )
        self._jam_package_pending_gauge: Gauge = metrics.jam_package_pending_gauge[store]
        self._jam_package_process_total: Counter = metrics.jam_package_process_total[store]
        self._jam_package_process_duration_seconds: Histogram = (
            metrics.jam_package_process_duration_seconds[store]
        )
        self._jam_package_process_fail_total_family: LabelledMetric[Any, Counter] = (
            metrics.jam_package_process_fail_total
        )
        self._jam_preimage_put_size_bytes: Histogram = metrics.jam_preimage_put_size_bytes[store]
        self._jam_preimage_put_total: Counter = metrics.jam_preimage_put_total[store]
        self._jam_preimage_bytes_total: Counter = metrics.jam_preimage_bytes_total[store]
        self._jam_preimage_quota_reject_total_family: LabelledMetric[Any, Counter] = (
            metrics.jam_preimage_quota_reject_total
        )
        self._jam_rate_limit_hits_total_family: LabelledMetric[Any, Counter] = (
            metrics.jam_rate_limit_hits_total
        )
        self._jam_pending_cap_hits_total: Counter = metrics.jam_pending_cap_hits_total[store]
        self._jam_cleanup_runs_total: Counter = metrics.jam_cleanup_runs_total[store]
        self._jam_cleanup_deleted_packages_total: Counter = (
            metrics.jam_cleanup_deleted_packages_total[store]
        )
        self._jam_cleanup_deleted_reports_total: Counter = (
            metrics.jam_cleanup_deleted_reports_total[store]
        )
        self._jam_cleanup_deleted_preimages_total: Counter = (
            metrics.jam_cleanup_deleted_preimages_total[store]
        )
        self._jam_cleanup_last_success_timestamp_seconds: Gauge = (
            metrics.jam_cleanup_last_success_timestamp_seconds[store]
        )
        self._jam_preimage_put_duration_seconds: Histogram = (
            metrics.jam_preimage_put_duration_seconds[store]
        )
        self._jam_preimage_get_total: Counter = metrics.jam_preimage_get_total[store]
        self._jam_preimage_head_total: Counter = metrics.jam_preimage_head_total[store]
        self._jam_package_stage_duration_seconds_refine: Histogram = (
            metrics.jam_package_stage_duration_seconds["refine"]
        )
        self._jam_package_stage_duration_seconds_attest: Histogram = (
            metrics.jam_package_stage_duration_seconds["attest"]
        )
        self._jam_attestations_total: Counter = metrics.jam_attestations_total[store]
        self._jam_package_stage_duration_seconds_accumulate: Histogram = (
            metrics.jam_package_stage_duration_seconds["accumulate"]
        )
        self._jam_reports_total: Counter = metrics.jam_reports_total[store]
        metrics.jam_config_rate_limit_requests.set(config.rate_limit_per_minute)
        metrics.jam_config_max_preimage_bytes.set(config.max_preimage_bytes)
        metrics.jam_config_max_pending_packages.set(config.max_pending_packages)
        self._span_preimage_get_off = _Counted((self._jam_preimage_get_total,))
        self._span_preimage_head_off = _Counted((self._jam_preimage_head_total,))
        self._span_process_off = ProcessScope(self, _QUIET)

    @property
    def tracing(self) -> bool:
        """Whether spans are recorded."""
        return self._tracing

    def _hash(self, secret: str | bytes) -> str:
        """The secret's HMAC-SHA256, cut to HASH_LENGTH hex characters."""
        inner = self._inner.copy()
        raw = secret.encode("utf-8", "surrogatepass") if isinstance(secret, str) else secret
        inner.update(raw)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:HASH_LENGTH]

    def _emit(self, level: int, record: dict[str, object]) -> None:
        """Log record as one JSON line, with the current trace ids.

        The LogRecord is built directly: ``Logger.log`` would search the stack for a
        caller, and find this module anyway. ``funcName`` carries the event's name.
        """
        if self._tracing:
            context = otel_trace.get_current_span().get_span_context()
            if context.is_valid:
                record["trace_id"] = format(context.trace_id, "032x")
                record["span_id"] = format(context.span_id, "016x")
        else:
            header = _incoming.get()
            if header is not None:
                record["trace_id"] = header[3:35]
        logger = self._logger
        logger.handle(logger.makeRecord(logger.name, level, __file__, 0, _encode(record), (), None,
                                        cast(str, record["event"])))

    def package_submit(
        self,
        *,
        pkg_id: str,
        service_id: str,
        token: str | bytes,
        pending_count: int,
    ) -> None:
        """A work package was accepted for processing.

        ``pkg_id``: The work package id.
        ``service_id``: The JAM service the package belongs to.
        ``store``: The backing store.
        ``token_hash``: The submitting token, logged only as its keyed hash.
        ``pending_count``: Packages pending after this one was accepted.

        Metrics: ``jam_package_submit_total`` += 1; ``jam_package_pending_gauge`` =
        pending_count.
        """
        if not isinstance(token, (str, bytes)):
            raise TypeError(f"token must be str or bytes, not {type(token).__name__}")
        self._jam_package_submit_total_family[self._store, service_id].inc()
        self._jam_package_pending_gauge.set(pending_count)
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "package_submit",
            "pkg_id": _text(pkg_id, IDENTIFIER_MAX),
            "service_id": _text(service_id, IDENTIFIER_MAX),
            "store": self._store,
            "token_hash": self._hash(token),
            "pending_count": pending_count,
        })

    def package_process(
        self,
        *,
        pkg_id: str,
        service_id: str,
        duration_ms: float,
        error: str | BaseException | None = None,
        failed_stage: FailedStage | None = None,
    ) -> None:
        """A work package finished processing, successfully or not (error is null on success).

        ``pkg_id``: The work package id.
        ``service_id``: The JAM service the package belongs to.
        ``store``: The backing store.
        ``duration_ms``: Time spent processing, refine to accumulate; NaN (logged as null) for a
            package out of attempts, whose lost attempts nothing measured.
        ``error``: Why processing failed: the failed stage and its message (refine: missing
            preimage ...), or attempts_exhausted: ... when the processing lease expired on every
            attempt; null when it succeeded.

        Metrics: ``jam_package_process_total`` += 1; ``jam_package_process_duration_seconds``
        observes duration_ms; ``jam_package_process_fail_total`` += 1 when error is set.
        """
        self._jam_package_process_total.inc()
        if isfinite(duration_ms):
            self._jam_package_process_duration_seconds.observe(duration_ms / 1000)
        if error is not None:
            self._jam_package_process_fail_total_family[self._store, failed_stage].inc()
        level = logging.WARNING if error is not None else logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "package_process",
            "pkg_id": _text(pkg_id, IDENTIFIER_MAX),
            "service_id": _text(service_id, IDENTIFIER_MAX),
            "store": self._store,
            "duration_ms": _ms(duration_ms),
            "error": None if error is None else _error(error),
        })

    def preimage_upload(
        self,
        *,
        hash: str,
        size: int | Blob,
        media_type: str,
        token: str | bytes,
        quota_hit: QuotaReason | None = None,
    ) -> None:
        """A preimage upload was handled; quota_hit names the quota that rejected it, if any.

        ``hash``: The preimage hash (hex), as the client named it.
        ``size``: The upload body size in bytes; pass the body or its length.
        ``media_type``: The declared media type.
        ``store``: The backing store.
        ``token_hash``: The uploading token, logged only as its keyed hash.
        ``quota_hit``: The quota that rejected the upload.

        Metrics: ``jam_preimage_put_size_bytes`` observes size; ``jam_preimage_put_total`` += 1
        when quota_hit is None; ``jam_preimage_bytes_total`` += size when quota_hit is None;
        ``jam_preimage_quota_reject_total`` += 1 when quota_hit is set.
        """
        if not isinstance(token, (str, bytes)):
            raise TypeError(f"token must be str or bytes, not {type(token).__name__}")
        size = _size(size)
        self._jam_preimage_put_size_bytes.observe(size)
        if quota_hit is None:
            self._jam_preimage_put_total.inc()
            self._jam_preimage_bytes_total.inc(size)
        if quota_hit is not None:
            self._jam_preimage_quota_reject_total_family[quota_hit].inc()
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "preimage_upload",
            "hash": _text(hash, IDENTIFIER_MAX),
            "size": size,
            "media_type": _text(media_type, IDENTIFIER_MAX),
            "store": self._store,
            "token_hash": self._hash(token),
            "quota_hit": (
                quota_hit if quota_hit is None or quota_hit in _QUOTA_REASON_VALUES else "other"
            ),
        })

    def limit_reject(
        self,
        *,
        token: str | bytes,
        reason: LimitRejectReason,
        limit: int,
        endpoint: Endpoint,
    ) -> None:
        """A request was rejected by the rate limit, the pending-package cap or a preimage quota.
        Preimage quota rejects are counted by preimage_upload's quota_hit, not here.

        ``token_hash``: The rejected token, logged only as its keyed hash.
        ``reason``: Which limit rejected the request.
        ``limit``: The configured value of that limit.

        Metrics: ``jam_rate_limit_hits_total`` += 1 when reason is rate_limit;
        ``jam_pending_cap_hits_total`` += 1 when reason is pending_cap.
        """
        if not isinstance(token, (str, bytes)):
            raise TypeError(f"token must be str or bytes, not {type(token).__name__}")
        if reason == "rate_limit":
            self._jam_rate_limit_hits_total_family[endpoint].inc()
        if reason == "pending_cap":
            self._jam_pending_cap_hits_total.inc()
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "limit_reject",
            "token_hash": self._hash(token),
            "reason": reason if reason in _LIMIT_REJECT_REASON_VALUES else "other",
            "limit": limit,
        })

    def cleanup_run(
        self,
        *,
        cutoff: float | datetime,
        deleted_counts: DeletedCounts,
        duration_ms: float,
    ) -> None:
        """A cleanup run finished and deleted what was older than the cutoff.

        ``cutoff``: Records older than this were deleted (ISO 8601, UTC).
        ``deleted_counts``: How many records of each kind were deleted.
        ``duration_ms``: Time the run took.

        Metrics: ``jam_cleanup_runs_total`` += 1; ``jam_cleanup_deleted_packages_total`` +=
        deleted_counts.packages; ``jam_cleanup_deleted_reports_total`` +=
        deleted_counts.reports; ``jam_cleanup_deleted_preimages_total`` +=
        deleted_counts.preimages; ``jam_cleanup_last_success_timestamp_seconds`` = now.
        """
        self._jam_cleanup_runs_total.inc()
        self._jam_cleanup_deleted_packages_total.inc(deleted_counts["packages"])
        self._jam_cleanup_deleted_reports_total.inc(deleted_counts["reports"])
        self._jam_cleanup_deleted_preimages_total.inc(deleted_counts["preimages"])
        self._jam_cleanup_last_success_timestamp_seconds.set_to_current_time()
        self._last_cleanup = time.time()
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "cleanup_run",
            "cutoff": _timestamp(cutoff),
            "deleted_counts": {
                "packages": deleted_counts["packages"],
                "reports": deleted_counts["reports"],
                "preimages": deleted_counts["preimages"],
            },
            "duration_ms": _ms(duration_ms),
        })

    def span_preimage_put(self) -> Scope:
        """``jam.preimage.put``: Validating and storing one preimage upload.

        Metrics, traced or not: ``jam_preimage_put_duration_seconds`` observes its duration (s).
        """
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.preimage.put",
                {"jam.store": self._store},
                None,
                self._jam_preimage_put_duration_seconds,
                (),
            )
        return _Timed(self._jam_preimage_put_duration_seconds, ())

    def span_preimage_get(self, *, hash: str) -> Scope:
        """``jam.preimage.get``: Serving one preimage read.

        Metrics, traced or not: ``jam_preimage_get_total`` += 1.
        """
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.preimage.get",
                {"jam.store": self._store, "jam.hash": _text(hash, IDENTIFIER_MAX)},
                None,
                None,
                (self._jam_preimage_get_total,),
            )
        return self._span_preimage_get_off

    def span_preimage_head(self, *, hash: str) -> Scope:
        """``jam.preimage.head``: Serving one preimage existence check.

        Metrics, traced or not: ``jam_preimage_head_total`` += 1.
        """
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.preimage.head",
                {"jam.store": self._store, "jam.hash": _text(hash, IDENTIFIER_MAX)},
                None,
                None,
                (self._jam_preimage_head_total,),
            )
        return self._span_preimage_head_off

    def span_package_submit(self, *, service_id: str) -> Scope:
        """``jam.package.submit``: Accepting one work package."""
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.package.submit",
                {"jam.store": self._store, "jam.service_id": _text(service_id, IDENTIFIER_MAX)},
                None,
                None,
                (),
            )
        return _QUIET

    def span_package_list(self) -> Scope:
        """``jam.package.list``: Listing work packages."""
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.package.list",
                {"jam.store": self._store},
                None,
                None,
                (),
            )
        return _QUIET

    def span_package_get(self, *, pkg_id: str) -> Scope:
        """``jam.package.get``: Reading one work package."""
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.package.get",
                {"jam.store": self._store, "jam.pkg_id": _text(pkg_id, IDENTIFIER_MAX)},
                None,
                None,
                (),
            )
        return _QUIET

    def span_process(self, *, pkg_id: str, service_id: str) -> ProcessScope:
        """``jam.process``: Processing one work package through its stages."""
        if self._tracing:
            return ProcessScope(
                self,
                _Traced(
                    self._tracer,
                    "jam.process",
                    {
                        "jam.store": self._store,
                        "jam.pkg_id": _text(pkg_id, IDENTIFIER_MAX),
                        "jam.service_id": _text(service_id, IDENTIFIER_MAX),
                    },
                    None,
                    None,
                    (),
                ),
            )
        return self._span_process_off

    def _span_process_refine(self, parent: otel_context.Context | None) -> Scope:
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.process.refine",
                {"jam.stage": "refine"},
                parent,
                self._jam_package_stage_duration_seconds_refine,
                (),
            )
        return _Timed(self._jam_package_stage_duration_seconds_refine, ())

    def _span_process_attest(self, parent: otel_context.Context | None) -> Scope:
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.process.attest",
                {"jam.stage": "attest"},
                parent,
                self._jam_package_stage_duration_seconds_attest,
                (self._jam_attestations_total,),
            )
        return _Timed(
            self._jam_package_stage_duration_seconds_attest,
            (self._jam_attestations_total,),
        )

    def _span_process_accumulate(self, parent: otel_context.Context | None) -> Scope:
        if self._tracing:
            return _Traced(
                self._tracer,
                "jam.process.accumulate",
                {"jam.stage": "accumulate"},
                parent,
                self._jam_package_stage_duration_seconds_accumulate,
                (self._jam_reports_total,),
            )
        return _Timed(
            self._jam_package_stage_duration_seconds_accumulate,
            (self._jam_reports_total,),
        )

    def incoming(self, headers: Mapping[str, str]) -> Scope:
        """Continue the caller's trace in a ``with`` block: reads ``traceparent`` (lower-case).

        The request's ``authorization`` credential is kept for the block, so no error text
        logged inside it carries it.
        """
        credential = headers.get("authorization")
        if credential is not None:  # "Bearer <token>": the token; anything else as a whole
            credential = credential.partition(" ")[2].strip() or credential
        if self._tracing:
            return _Incoming(self._propagator.extract(headers), None, credential)
        header = headers.get("traceparent")
        if header is None or len(header) > _TRACEPARENT_MAX or not _TRACEPARENT.fullmatch(header):
            return _QUIET if credential is None else _Incoming(None, None, credential)
        return _Incoming(None, header, credential)

    def inject(self, headers: MutableMapping[str, str]) -> None:
        """Add ``traceparent`` to an outgoing request's headers.

        It is the current span's when tracing, else the incoming header passed through.
        """
        if self._tracing:
            self._propagator.inject(headers)
            return
        header = _incoming.get()
        if header is not None:
            headers["traceparent"] = header

    def status_block(self) -> StatusBlock:
        """The JAM block of ``/system/status``, from the configuration given at start-up."""
        return status_block(self._config)

    def health(self, ping: Callable[[], object], *,
               last_cleanup: float | None = None) -> tuple[int, HealthBody]:
        """``/jam/healthz``: see ``check_health``. ``ping`` fails by raising or returning False.

        ``last_cleanup`` (Unix seconds) overrides the time of the last ``cleanup_run``
        event this object saw, for a cleanup runner in another process.
        """
        try:
            store_ok = ping() is not False
        except Exception:
            store_ok = False
        last = last_cleanup if last_cleanup is not None else self._last_cleanup
        enabled = bool(self._config.cleanup_enabled)
        return check_health(store_ok, enabled, last, self._started, time.time())
