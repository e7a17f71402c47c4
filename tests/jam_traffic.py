"""A stand-in JAM process for end-to-end tests: the generated jam_metrics module under simulated traffic.

Run as ``python tests/jam_traffic.py PORT PLAN_JSON`` with generated/python on PYTHONPATH. PLAN_JSON
lists, per metric attribute, its type and the label keys to drive; every round bumps every counter,
observes every histogram across its buckets and sets every gauge, then /metrics on 127.0.0.1:PORT
serves them. It runs until terminated.
"""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any

from prometheus_client import start_http_server

from jam_metrics import JamMetrics  # type: ignore[import-not-found]  # generated/python on PYTHONPATH

ROUND_SECONDS = 0.2


def _child(metrics: JamMetrics, item: dict[str, Any], key: list[str]) -> Any:
    family = getattr(metrics, item["attr"])
    if not key:
        return family
    return family[key[0]] if len(key) == 1 else family[tuple(key)]


def _drive(child: Any, item: dict[str, Any], rng: random.Random) -> None:
    kind = item["type"]
    if kind == "counter":
        child.inc(rng.randint(1, 5))
    elif kind == "histogram":
        top = item["buckets"][-1]
        for _ in range(5):
            child.observe(rng.uniform(0, top * 1.2))
    elif item.get("timestamp"):
        child.set(time.time() - rng.uniform(0, 60))
    else:
        child.set(item.get("value") or rng.randint(1, 50))


def main(port: int, plan: list[dict[str, Any]]) -> None:
    metrics = JamMetrics.fresh()
    start_http_server(port, addr="127.0.0.1", registry=metrics.registry)
    rng = random.Random(42)
    while True:
        for item in plan:
            for key in item["keys"]:
                _drive(_child(metrics, item, key), item, rng)
        time.sleep(ROUND_SECONDS)


if __name__ == "__main__":
    main(int(sys.argv[1]), json.loads(sys.argv[2]))
