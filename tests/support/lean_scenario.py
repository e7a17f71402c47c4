"""One run of metric updates, errors included, on prometheus_client's classes or the generated lean ones.

`run(counter, gauge, histogram)` makes the same metrics from the given classes, applies UPDATES, and
returns what each update raised and the exposition left behind (text format and OpenMetrics, with
the only values that differ between two runs taken out: `_created` samples and exemplar timestamps).
With PROMETHEUS_MULTIPROC_DIR set (before prometheus_client is imported) the exposition is the
MultiProcessCollector's, its lines sorted. `python -m lean_scenario stock|lean` prints a run as JSON, for that mode.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

BUCKETS = (0.1, 0.5, 1, 2.5)  # +Inf appended by prometheus_client

# (metric, label values or None for the metric object itself, method, arguments)
UPDATES: list[tuple[str, tuple[str, ...] | None, str, tuple[Any, ...]]] = [
    ("counter", ("2xx",), "inc", ()),
    ("counter", ("2xx",), "inc", (2.5,)),
    ("counter", ("2xx",), "inc", (0,)),
    ("counter", ("2xx",), "inc", (-1,)),  # ValueError: counters only go up
    ("counter", ("2xx",), "inc", (-0.0,)),
    ("counter", ("5xx",), "inc", (1, {"trace_id": "abc"})),  # an exemplar
    ("counter", ("5xx",), "inc", (3, {})),  # an empty exemplar is none
    ("counter", ("5xx",), "inc", (1, {"bad-name": "x"})),  # an invalid exemplar label
    ("counter", ("5xx",), "inc", (None,)),  # TypeError
    ("counter", ("4xx",), "inc", (math.nan,)),
    ("counter", None, "inc", ()),  # the labelled parent: missing label values
    ("counter", None, "inc", (-1,)),
    ("counter", None, "inc", (1, {"trace_id": "abc"})),
    ("plain", None, "inc", (4,)),
    ("plain", None, "inc", (-4,)),
    ("gauge", ("memory",), "set", (3,)),
    ("gauge", ("memory",), "inc", ()),
    ("gauge", ("memory",), "inc", (2,)),
    ("gauge", ("memory",), "dec", ()),
    ("gauge", ("memory",), "dec", (0.5,)),
    ("gauge", ("postgres",), "set", ("4.5",)),  # set() takes anything float() does
    ("gauge", ("postgres",), "set", ("x",)),  # ValueError from float()
    ("gauge", ("postgres",), "set", (None,)),  # TypeError from float()
    ("gauge", ("postgres",), "inc", (-7,)),
    ("gauge", None, "inc", ()),  # the labelled parent
    ("gauge", None, "dec", ()),
    ("gauge", None, "set", (1,)),
    ("recent", ("memory",), "set", (7,)),  # mostrecent: set() only, timestamped
    ("recent", ("memory",), "inc", ()),  # RuntimeError
    ("recent", ("memory",), "dec", ()),  # RuntimeError
    ("recent", None, "inc", ()),  # the mode's RuntimeError comes before the parent's ValueError
    ("recent", None, "set", (1,)),
    ("histogram", ("refine",), "observe", (0.05,)),  # below the first bound
    *[("histogram", ("refine",), "observe", (bound,)) for bound in BUCKETS],  # exactly on each bound
    ("histogram", ("refine",), "observe", (0.3,)),  # between bounds
    ("histogram", ("refine",), "observe", (1,)),  # an int
    ("histogram", ("refine",), "observe", (0,)),
    ("histogram", ("refine",), "observe", (-1,)),  # below zero
    ("histogram", ("refine",), "observe", (10,)),  # above the last finite bound: +Inf
    ("histogram", ("attest",), "observe", (math.inf,)),  # exactly +Inf
    ("histogram", ("attest",), "observe", (-math.inf,)),
    ("histogram", ("attest",), "observe", (math.nan,)),  # no bucket; the sum becomes NaN
    ("histogram", ("accumulate",), "observe", (0.5, {"trace_id": "abc"})),  # an exemplar on a bound
    ("histogram", ("accumulate",), "observe", (0.7, {})),
    ("histogram", ("accumulate",), "observe", ("x",)),  # TypeError from the sum
    ("histogram", None, "observe", (0.1,)),  # the labelled parent
    ("histogram", None, "observe", (0.1, {"trace_id": "abc"})),
]


def outcome(call: Any, arguments: tuple[Any, ...]) -> str | None:
    """None when the call returned, else the error it raised, as type and message."""
    try:
        call(*arguments)
    except Exception as exc:  # noqa: BLE001 - the error itself is the result
        return f"{type(exc).__name__}: {exc}"
    return None


def exposition(registry: CollectorRegistry, ordered: bool) -> dict[str, str]:
    """The exposition in both formats; its lines sorted unless ordered (MultiProcessCollector lists
    families in an order of its own)."""
    def steady(text: bytes) -> str:
        lines = [re.sub(r"(# \{.*\} \S+) \S+$", r"\1", line)  # an exemplar's timestamp
                 for line in text.decode().splitlines() if "_created" not in line]
        return "\n".join(lines if ordered else sorted(lines))
    return {"text": steady(generate_latest(registry)), "openmetrics": steady(generate_openmetrics(registry))}


def run(counter: type[Counter], gauge: type[Gauge], histogram: type[Histogram]) -> dict[str, Any]:
    registry = CollectorRegistry()
    multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    if multiprocess:
        MultiProcessCollector(registry)
    own = None if multiprocess else registry
    metrics = {
        "counter": counter("lean_requests_total", "Requests.", ("code",), registry=own),
        "plain": counter("lean_starts_total", "Starts.", registry=own),
        "gauge": gauge("lean_pending", "Pending.", ("store",), registry=own, multiprocess_mode="livesum"),
        "recent": gauge("lean_recent", "Recent.", ("store",), registry=own, multiprocess_mode="mostrecent"),
        "histogram": histogram("lean_duration_seconds", "Durations.", ("stage",), registry=own, buckets=BUCKETS),
    }
    outcomes = []
    for name, values, method, arguments in UPDATES:
        target = metrics[name] if values is None else metrics[name].labels(*values)
        outcomes.append(outcome(getattr(target, method), arguments))
    return {"outcomes": outcomes, **exposition(registry, ordered=not multiprocess)}


def run_lean(jam_metrics: Any) -> dict[str, Any]:
    """run() on the generated module's lean classes."""
    return run(jam_metrics._LeanCounter, jam_metrics._LeanGauge, jam_metrics._LeanHistogram)


def main(which: str) -> None:
    if which == "stock":
        print(json.dumps(run(Counter, Gauge, Histogram)))
    else:
        import jam_metrics

        print(json.dumps(run_lean(jam_metrics)))


if __name__ == "__main__":
    main(sys.argv[1])
