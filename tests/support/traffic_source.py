"""A simulated JAM process for end-to-end tests: generated metrics under healthy or faulty traffic.

Run as ``python traffic_source.py --port N [--faults a,b]`` with the generated ``jam_metrics``
on PYTHONPATH. It serves ``/metrics``; ``GET /faults`` lists the active faults and
``POST /faults`` with a comma-separated body (empty for healthy traffic) switches them.
Healthy traffic touches every metric and every closed label value, so every rate, ratio and
quantile has data; it sits at least 10x below every alert threshold, and rejects stay at zero.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jam_metrics import JamMetrics
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

TICK = 0.1  # seconds between simulation steps
STORES = ("memory", "postgres")
ENDPOINTS = ("preimage_put", "preimage_get", "preimage_head", "package_submit", "package_list",
             "package_get", "status", "healthz")
STAGES = ("refine", "attest", "accumulate")
SERVICES = ("1", "2", "3")
MAX_PENDING = 1000

# Each fault and what it breaks; every alert of the plan has one.
FAULTS = {
    "process_failures": "half of the processed work packages fail",
    "low_traffic": "almost no work packages, half of them failing (below the alerts' minimum rate)",
    "rate_limited": "many requests are rejected by the rate limit",
    "cleanup_failures": "every cleanup run fails",
    "pending_high": "the pending queue sits at 95% of its cap",
    "quota_surge": "many preimage uploads are rejected by quotas",
    "slow_processing": "processing a work package takes about 8 seconds",
}


class Simulation:
    """Advances the metrics by one tick of traffic, shaped by the active faults."""

    def __init__(self, metrics: JamMetrics) -> None:
        self.m = metrics
        self.faults: frozenset[str] = frozenset()
        self._carry: dict[str, float] = {}
        self.lock = threading.Lock()
        metrics.jam_config_max_pending_packages.set(MAX_PENDING)
        metrics.jam_config_rate_limit_requests.set(600)
        metrics.jam_config_max_preimage_bytes.set(1 << 20)

    def due(self, key: str, per_second: float) -> int:
        """Whole events due this tick at a rate, carrying the fraction to the next tick."""
        total = self._carry.get(key, 0.0) + per_second * TICK
        events = int(total)
        self._carry[key] = total - events
        return events

    def step(self) -> None:
        with self.lock:
            faults = self.faults
        m = self.m
        for store in STORES:
            self._preimages(store, faults)
            self._packages(store, faults)
            self._cleanup(store, faults)
        for endpoint in ENDPOINTS:
            m.jam_http_requests_total[endpoint, "2xx"].inc(self.due(f"2xx{endpoint}", 5))
            m.jam_http_requests_total[endpoint, "3xx"].inc(self.due(f"3xx{endpoint}", 0.2))
            m.jam_http_requests_total[endpoint, "4xx"].inc(self.due(f"4xx{endpoint}", 0.3))
            m.jam_http_requests_total[endpoint, "5xx"].inc(self.due(f"5xx{endpoint}", 0.1))
            limited = 20 if "rate_limited" in faults else 0  # healthy: no rejects at all
            hits = self.due(f"limit{endpoint}", limited)
            m.jam_rate_limit_hits_total[endpoint].inc(hits)
            m.jam_http_requests_total[endpoint, "4xx"].inc(hits)
        rejects = 20 if "quota_surge" in faults else 0
        for reason in ("too_large", "unsupported_media"):
            m.jam_preimage_quota_reject_total[reason].inc(self.due(f"quota{reason}", rejects))

    def _preimages(self, store: str, faults: frozenset[str]) -> None:
        m = self.m
        for _ in range(self.due(f"put{store}", 4)):
            m.jam_preimage_put_total[store].inc()
            m.jam_preimage_bytes_total[store].inc(4096)
            m.jam_preimage_put_duration_seconds[store].observe(0.004)
            m.jam_preimage_put_size_bytes[store].observe(4096)
        m.jam_preimage_get_total[store].inc(self.due(f"get{store}", 6))
        m.jam_preimage_head_total[store].inc(self.due(f"head{store}", 3))

    def _packages(self, store: str, faults: frozenset[str]) -> None:
        m = self.m
        rate = 0.05 if "low_traffic" in faults else 10
        # Healthy: 20x below the lowest threshold on this ratio (the SLO ticket's 1%).
        failing = 0.5 if faults & {"process_failures", "low_traffic"} else 0.0005
        duration = 8.0 if "slow_processing" in faults else 0.04
        for i, service in enumerate(SERVICES):
            m.jam_package_submit_total[store, service].inc(self.due(f"submit{store}{i}", rate / len(SERVICES)))
        for _ in range(self.due(f"process{store}", rate)):
            m.jam_package_process_total[store].inc()
            m.jam_package_process_duration_seconds[store].observe(duration)
            for stage in STAGES:
                m.jam_package_stage_duration_seconds[stage].observe(duration / len(STAGES))
            m.jam_attestations_total[store].inc()
            m.jam_reports_total[store].inc()
        for i, stage in enumerate(STAGES):
            m.jam_package_process_fail_total[store, stage].inc(self.due(f"fail{store}{i}", rate * failing / len(STAGES)))
        pending = MAX_PENDING * 0.95 if "pending_high" in faults else 10
        m.jam_package_pending_gauge[store].set(pending)
        m.jam_pending_cap_hits_total[store].inc(self.due(f"cap{store}", 5 if "pending_high" in faults else 0.02))

    def _cleanup(self, store: str, faults: frozenset[str]) -> None:
        m = self.m
        for _ in range(self.due(f"cleanup{store}", 0.5)):
            m.jam_cleanup_runs_total[store].inc()
            if "cleanup_failures" in faults:
                m.jam_cleanup_failures_total[store].inc()
                continue
            m.jam_cleanup_deleted_packages_total[store].inc(3)
            m.jam_cleanup_deleted_reports_total[store].inc(3)
            m.jam_cleanup_deleted_preimages_total[store].inc(2)
            m.jam_cleanup_last_success_timestamp_seconds[store].set(time.time())


def serve(port: int, simulation: Simulation) -> ThreadingHTTPServer:
    registry = simulation.m.registry

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/metrics"):
                self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            elif self.path.startswith("/faults"):
                self._send(200, json.dumps(sorted(simulation.faults)).encode(), "application/json")
            else:
                self._send(404, b"not found\n", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            faults = frozenset(f for f in body.split(",") if f)
            unknown = faults - FAULTS.keys()
            if not self.path.startswith("/faults") or unknown:
                self._send(400, f"unknown faults {sorted(unknown)}; known: {sorted(FAULTS)}\n".encode(), "text/plain")
                return
            with simulation.lock:
                simulation.faults = faults
            self._send(200, json.dumps(sorted(faults)).encode(), "application/json")

        def _send(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--faults", default="", help="comma-separated faults to start with")
    args = parser.parse_args()
    simulation = Simulation(JamMetrics.fresh())
    simulation.faults = frozenset(f for f in args.faults.split(",") if f)
    simulation.step()
    serve(args.port, simulation)
    while True:
        time.sleep(TICK)
        simulation.step()


if __name__ == "__main__":
    main()
