"""Benchmarks of the generated jam_telemetry module: each figure a ratio of two things timed in this run.

    python benchmarks/telemetry.py           # the table; a few seconds
    python benchmarks/telemetry.py --quick   # fewer repetitions, same table

benchmarks/run.py adds these rows to its table (section e) through ``rows(quick)``.
Targets come from issue 5; a MISS is reported, never raised: absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import logging
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(ROOT / "tests" / "support"))  # telemetry_support: the host configuration the telemetry tests use too

from measure import Row, Samples, interleave, table  # noqa: E402
from telemetry_support import HostConfig  # noqa: E402
MODULE_DIR = ROOT / "generated" / "python"
KEY = b"bench-key"


class _Sink(logging.Handler):
    """Formats every record, as a real handler would, then drops it."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.format(record)


class _JsonFormatter(logging.Formatter):
    """The idiom the event helpers replace: fields passed as ``extra``, dumped by the formatter."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"event": record.getMessage(), **record.__dict__["fields"]})


def _timed(candidates: dict[str, Callable[[], object]], rounds: int, number: int) -> Samples:
    """Seconds per call of each candidate, in interleaved rounds so load drift hits all alike."""
    return interleave({name: _per_call(fn, number) for name, fn in candidates.items()}, rounds)


def _per_call(fn: Callable[[], object], number: int) -> Callable[[], float]:
    return lambda: timeit.timeit(fn, number=number) / number


def _ns(samples: Samples, *names: str) -> str:
    return " vs ".join(f"{samples.median(name) * 1e9:.0f} ns" for name in names)


def _loggers() -> tuple[logging.Logger, logging.Logger]:
    ours = logging.getLogger("jam")
    ours.handlers[:] = [_Sink(logging.Formatter("%(message)s"))]
    ours.propagate = False
    ours.setLevel(logging.INFO)
    idiom = logging.getLogger("bench.idiom")
    idiom.handlers[:] = [_Sink(_JsonFormatter())]
    idiom.propagate = False
    idiom.setLevel(logging.INFO)
    return ours, idiom


def event_rows(rounds: int, number: int) -> list[Row]:
    """An event helper (log + paired metrics) vs the same by hand: logging, JSON formatter, hmac."""
    import jam_metrics
    import jam_telemetry

    _, idiom_log = _loggers()
    metrics = jam_metrics.JamMetrics.fresh()
    tel = jam_telemetry.Telemetry(metrics, HostConfig(), hash_key=KEY, tracing=False)
    hand = jam_metrics.JamMetrics.fresh()
    submit = hand.jam_package_submit_total["memory", "svc-1"]
    pending = hand.jam_package_pending_gauge["memory"]

    def helper() -> None:
        tel.package_submit(pkg_id="pkg-1", service_id="svc-1", token="tok-secret", pending_count=3)

    def idiom() -> None:
        submit.inc()
        pending.set(3)
        token_hash = hmac.new(KEY, b"tok-secret", hashlib.sha256).hexdigest()[:16]
        idiom_log.info("package_submit", extra={"fields": {
            "pkg_id": "pkg-1", "service_id": "svc-1", "store": "memory", "token_hash": token_hash,
            "pending_count": 3}})

    t = _timed({"helper": helper, "idiom": idiom}, rounds, max(1, number // 10))
    ratio = t.ratio("helper", "idiom")
    return [Row("e.event_vs_idiom", "event helper / logging + JSON formatter + hmac by hand", ratio,
                _ns(t, "helper", "idiom"), "<= 1.00", ratio <= 1.0)]


def span_off_rows(rounds: int, number: int) -> list[Row]:
    """A span when tracing is off vs a bare function call."""
    import jam_metrics
    import jam_telemetry

    tel = jam_telemetry.Telemetry(jam_metrics.JamMetrics.fresh(), HostConfig(), hash_key=KEY, tracing=False)

    def bare(*, pkg_id: str) -> None:
        return None

    def handler() -> None:
        with tel.span_package_get(pkg_id="pkg-1"):
            pass

    def plain() -> None:
        bare(pkg_id="pkg-1")

    def helper_only() -> None:
        tel.span_package_get(pkg_id="pkg-1")

    def floor() -> None:
        with nothing:
            pass

    nothing = contextlib.nullcontext()
    t = _timed({"span": handler, "bare": plain, "helper": helper_only, "floor": floor}, rounds, number)
    ratio = t.ratio("span", "bare")
    return [
        Row("e.span_off_vs_bare", "with span (tracing off) / a bare call, same arguments", ratio,
            _ns(t, "span", "bare"), "<= 2.00", ratio <= 2.0),
        Row("e.span_off_helper_vs_bare", "span helper call alone (the flag check) / that bare call",
            t.ratio("helper", "bare"), _ns(t, "helper", "bare"), "(info)", None),
        Row("e.nullcontext_vs_bare", "with contextlib.nullcontext() / that bare call (the floor)",
            t.ratio("floor", "bare"), _ns(t, "floor", "bare"), "(info)", None),
    ]


def span_on_rows(rounds: int, number: int) -> list[Row]:
    """A span when tracing is on vs the same span written with plain OpenTelemetry."""
    try:
        from opentelemetry.sdk.trace import TracerProvider
    except ImportError:  # not a test dependency of this install: nothing to compare
        return []
    import jam_metrics
    import jam_telemetry

    provider = TracerProvider()  # no processor: measures span bookkeeping, not an exporter
    tel = jam_telemetry.Telemetry(jam_metrics.JamMetrics.fresh(), HostConfig(), hash_key=KEY, tracing=True,
                                  tracer_provider=provider)
    tracer = provider.get_tracer("jam")

    def ours() -> None:
        with tel.span_package_get(pkg_id="pkg-1"):
            pass

    def plain() -> None:
        with tracer.start_as_current_span("jam.package.get",
                                          attributes={"jam.store": "memory", "jam.pkg_id": "pkg-1"}):
            pass

    t = _timed({"ours": ours, "plain": plain}, rounds, max(1, number // 20))
    ratio = t.ratio("ours", "plain")
    return [Row("e.span_on_vs_otel", "span (tracing on, OTel SDK) / plain start_as_current_span", ratio,
                _ns(t, "ours", "plain"), "<= 1.10", ratio <= 1.1)]


def rows(quick: bool = False) -> list[Row]:
    """Every telemetry benchmark row; the modules come from generated/python."""
    if str(MODULE_DIR) not in sys.path:
        sys.path.insert(0, str(MODULE_DIR))
    rounds, number = (5, 5_000) if quick else (21, 50_000)
    return [*event_rows(rounds, number), *span_off_rows(rounds, number), *span_on_rows(rounds, number)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    found = rows(args.quick)
    print(table(found, (58, 7, 26, 8)))
    if args.json:
        Path(args.json).write_text(json.dumps([row.__dict__ for row in found], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
