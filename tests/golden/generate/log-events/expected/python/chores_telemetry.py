# generated from metrics_spec.yaml by jamdash — do not edit
"""CHORES log events, spans, status and health, generated from metrics_spec.yaml.

Wire it once at start-up, next to the metrics::

    from chores_metrics import ChoresMetrics
    from chores_telemetry import Telemetry

    telemetry = Telemetry(ChoresMetrics())

Then, in the app::

    telemetry.job_done(...)  # one JSON log record + its paired metrics
    with telemetry.incoming(request.headers):  # honours an incoming ``traceparent``
        ...

Events: each helper takes keyword-only, typed fields and emits exactly one JSON
record, ``{"event": name, <declared fields>}``, at INFO (WARNING when its error
is set) on the stdlib logger ``chores``, plus ``trace_id`` and ``span_id``
when a span is active (only ``trace_id``, the caller's, when tracing is off and
an incoming ``traceparent`` is passed through). It also makes the event's paired
metric updates, so the metrics and the logs cannot disagree.

Field hygiene:

- ``bytes`` are never logged.
- identifiers are cut at 128 characters and error text at 512; control
  characters are escaped, so a crafted value cannot forge a log line.
- error text never carries a known secret: the bearer token of the request being handled
  (``incoming`` reads its ``authorization`` header) and the event's own secret fields are
  replaced by ``<redacted>`` wherever they appear as is, percent-encoded, base64, hex or
  JSON/repr-escaped (secrets under 4 characters are not searched for).
- a duration that is NaN or infinite is logged as ``null`` and not observed.
Spans are off unless ``tracing=True`` or ``CHORES_TRACING=1`` and opentelemetry is
installed; off, a span helper returns a shared object that does nothing (its
paired metrics still update). On, spans get the declared names, attributes and
parent/child structure. ``incoming``/``inject`` carry ``traceparent`` through
OpenTelemetry's W3C propagator; without tracing the header is passed through as is.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar, Token
from math import isfinite
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypedDict, cast
from urllib.parse import quote, quote_plus

from chores_metrics import ChoresMetrics, LabelledMetric, Outcome

if TYPE_CHECKING:
    from prometheus_client import Counter, Histogram

try:
    from opentelemetry import context as otel_context
    from opentelemetry import trace as otel_trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
except ImportError:  # opentelemetry is optional: without it spans stay off
    HAVE_OPENTELEMETRY = False
else:
    HAVE_OPENTELEMETRY = True

__all__ = [
    "Scope",
    "Telemetry",
    "Counts",
]

LOGGER = "chores"
"""The stdlib logger every event is emitted on."""
TRACING_ENV = "CHORES_TRACING"
"""Environment variable that switches spans on: 1, true, yes or on."""
IDENTIFIER_MAX = 128
"""Longest identifier logged, in characters."""
ERROR_TEXT_MAX = 512
"""Longest error text logged, in characters."""


class Counts(TypedDict):
    """Jobs by state when it started."""

    queued: int
    running: int


_OUTCOME_VALUES = frozenset({"ok", "failed"})

_log = logging.getLogger(LOGGER)
_warned: set[str] = set()
_incoming: ContextVar[str | None] = ContextVar("chores_traceparent", default=None)
_credential: ContextVar[str | None] = ContextVar("chores_credential", default=None)
_SECRET_MIN = 4  # shorter secrets are not searched for: they would redact ordinary text
_TRACEPARENT_MAX = 512  # longer incoming headers are not passed through
_TRACEPARENT = re.compile(
    r"(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-[!-~]*)?"
)
_ESCAPES = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}
_encode = json.JSONEncoder(
    separators=(",", ":"), default=lambda value: f"<{type(value).__name__}>"
).encode


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


def _tracing_requested(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return os.environ.get(TRACING_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


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


class Telemetry:
    """CHORES log events, spans, status and health, bound to one metrics set.

    ``metrics`` receives every paired update. ``tracing`` switches spans on (default:
    ``$CHORES_TRACING``).
    """

    def __init__(self, metrics: ChoresMetrics, *,
                 tracing: bool | None = None) -> None:
        self._logger = _log
        self._tracing = _tracing_requested(tracing)
        if self._tracing and not HAVE_OPENTELEMETRY:
            _warn_once("chores_tracing_unavailable",
                       "tracing requested but opentelemetry is not installed")
            self._tracing = False
        if self._tracing:
            self._propagator = TraceContextTextMapPropagator()
        self._chores_jobs_total_family: LabelledMetric[Any, Counter] = metrics.chores_jobs_total
        self._chores_job_duration_seconds: Histogram = metrics.chores_job_duration_seconds

    @property
    def tracing(self) -> bool:
        """Whether spans are recorded."""
        return self._tracing

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

    def job_done(
        self,
        *,
        job_id: str,
        outcome: Outcome,
        duration_ms: float,
        worker: str,
        error: str | BaseException | None = None,
    ) -> None:
        """A job finished.

        ``job_id``: The job.
        ``outcome``: How it ended.
        ``duration_ms``: Time the job took.
        ``worker``: The worker that ran it. Deprecated until 2027-03-31: Workers are anonymous
            now.
        ``error``: Why it failed.

        Metrics: ``chores_jobs_total`` += 1; ``chores_job_duration_seconds`` observes
        duration_ms.
        """
        self._chores_jobs_total_family[outcome].inc()
        if isfinite(duration_ms):
            self._chores_job_duration_seconds.observe(duration_ms / 1000)
        level = logging.WARNING if error is not None else logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "job_done",
            "job_id": _text(job_id, IDENTIFIER_MAX),
            "outcome": outcome if outcome in _OUTCOME_VALUES else "other",
            "duration_ms": _ms(duration_ms),
            "worker": _text(worker, IDENTIFIER_MAX),
            "error": None if error is None else _error(error),
        })

    def job_started(
        self,
        *,
        job_id: str,
        counts: Counts,
    ) -> None:
        """A job started.

        Deprecated: Read job_done instead. Log consumers should stop reading it.

        ``job_id``: The job.
        ``counts``: Jobs by state when it started.
        """
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "job_started",
            "job_id": _text(job_id, IDENTIFIER_MAX),
            "counts": {
                "queued": counts["queued"],
                "running": counts["running"],
            },
        })

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
