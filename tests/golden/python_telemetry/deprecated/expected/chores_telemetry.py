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
Spans are off unless ``tracing=True`` or ``CHORES_TRACING=1`` and opentelemetry is
installed; off, a span helper returns a shared object that does nothing (its
paired metrics still update). On, spans get the declared names, attributes and
parent/child structure. ``incoming``/``inject`` carry ``traceparent`` through
OpenTelemetry's W3C propagator; without tracing the header is passed through as is.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar, Token
from types import TracebackType
from typing import TYPE_CHECKING, Self, cast

from chores_metrics import ChoresMetrics

if TYPE_CHECKING:
    from prometheus_client import Counter

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
]

LOGGER = "chores"
"""The stdlib logger every event is emitted on."""
TRACING_ENV = "CHORES_TRACING"
"""Environment variable that switches spans on: 1, true, yes or on."""
IDENTIFIER_MAX = 128
"""Longest identifier logged, in characters."""


_log = logging.getLogger(LOGGER)
_warned: set[str] = set()
_incoming: ContextVar[str | None] = ContextVar("chores_traceparent", default=None)
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
    """Makes an incoming trace context current: OpenTelemetry's, or the raw header."""

    __slots__ = ("_context_in", "_header", "_token", "_header_token")

    def __init__(self, context: otel_context.Context | None, header: str | None) -> None:
        self._context_in = context
        self._header = header
        self._token: Token[otel_context.Context] | None = None
        self._header_token: Token[str | None] | None = None

    def __enter__(self) -> Self:
        if self._context_in is not None:
            self._token = otel_context.attach(self._context_in)
        else:
            self._header_token = _incoming.set(self._header)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._token is not None:
            otel_context.detach(self._token)
        if self._header_token is not None:
            _incoming.reset(self._header_token)


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
        self._chores_jobs_total: Counter = metrics.chores_jobs_total

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
        worker: str,
        queue: str | None = None,
    ) -> None:
        """A job finished.

        ``job_id``: The job.
        ``worker``: The worker that ran it. Deprecated until 2027-03-31: Workers are anonymous
            now.
        ``queue``: Deprecated: One queue only.

        Metrics: ``chores_jobs_total`` += 1.
        """
        self._chores_jobs_total.inc()
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "job_done",
            "job_id": _text(job_id, IDENTIFIER_MAX),
            "worker": _text(worker, IDENTIFIER_MAX),
            "queue": None if queue is None else _text(queue, IDENTIFIER_MAX),
        })

    def job_started(
        self,
        *,
        job_id: str,
    ) -> None:
        """A job started.

        Deprecated: Read job_done instead. Log consumers should stop reading it.

        ``job_id``: The job.
        """
        level = logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        self._emit(level, {
            "event": "job_started",
            "job_id": _text(job_id, IDENTIFIER_MAX),
        })

    def incoming(self, headers: Mapping[str, str]) -> Scope:
        """Continue the caller's trace in a ``with`` block: reads ``traceparent`` (lower-case)."""
        if self._tracing:
            return _Incoming(self._propagator.extract(headers), None)
        header = headers.get("traceparent")
        if header is None or len(header) > _TRACEPARENT_MAX or not _TRACEPARENT.fullmatch(header):
            return _QUIET
        return _Incoming(None, header)

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
