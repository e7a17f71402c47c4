"""The generated module in prometheus_client's multiprocess mode: several writers, one collector."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import GENERATED

WRITER = """
import os, sys
import jam_metrics
n = int(sys.argv[1])
m = jam_metrics.JamMetrics()
m.jam_preimage_put_total["memory"].inc(n)
for i in range(10):  # 30 distinct service_id values in all, against max_values 16
    m.jam_package_submit_total["postgres", "svc-%d-%d" % (n, i)].inc()
m.jam_attestations_total["not-a-store"].inc()
m.jam_package_pending_gauge["memory"].set(n)            # livesum: live processes add up
m.jam_config_max_pending_packages.set(100 * n)           # max: the largest value wins
m.jam_package_stage_duration_seconds["refine"].observe(0.002 * n)
print(os.getpid())
"""

READER = """
import json, sys
from prometheus_client import CollectorRegistry, multiprocess
for pid in sys.argv[1:]:
    multiprocess.mark_process_dead(int(pid))
registry = CollectorRegistry()
multiprocess.MultiProcessCollector(registry)
get = registry.get_sample_value
print(json.dumps({
    "put": get("jam_preimage_put_total", {"store": "memory"}),
    "submit_other": get("jam_package_submit_total", {"store": "postgres", "service_id": "other"}),
    "submit_folds": get("jam_metrics_label_overflow_total",
                        {"metric": "jam_package_submit_total", "label": "service_id"}),
    "service_ids": sorted({s.labels["service_id"] for f in registry.collect() for s in f.samples
                           if s.name == "jam_package_submit_total"}),
    "attest_other": get("jam_attestations_total", {"store": "other"}),
    "folds": get("jam_metrics_label_overflow_total", {"metric": "jam_attestations_total", "label": "store"}),
    "pending": get("jam_package_pending_gauge", {"store": "memory"}),
    "cap": get("jam_config_max_pending_packages"),
    "stage_count": get("jam_package_stage_duration_seconds_count", {"stage": "refine"}),
    "pid_labelled": sorted({s.name for f in registry.collect() for s in f.samples if "pid" in s.labels}),
}))
"""


def run(script: str, env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True,
                          timeout=60, check=True).stdout


def test_writers_aggregate_as_the_spec_gauge_modes_say(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(GENERATED / "python"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env, stdout=subprocess.PIPE, text=True)
               for n in (1, 2, 3)]
    pids = []
    for writer in writers:
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == 0
        pids.append(out.strip())
    assert any(tmp_path.iterdir()), "writers left no multiprocess files"

    live = json.loads(run(READER, env))
    assert live["put"] == 1 + 2 + 3
    # The processes share one max_values bound: 16 admitted values in all, plus "other".
    assert len(live["service_ids"]) == 16 + 1 and "other" in live["service_ids"]
    assert live["submit_other"] == live["submit_folds"] == 30 - 16
    assert live["attest_other"] == 3 and live["folds"] == 3
    assert live["pending"] == 1 + 2 + 3
    assert live["cap"] == 300
    assert live["stage_count"] == 3
    assert live["pid_labelled"] == []  # no gauge fell back to mode "all" (one series per pid)

    after_exit = json.loads(run(READER, env, pids[2]))
    assert after_exit["pending"] == 1 + 2  # livesum forgets a dead process
    assert after_exit["cap"] == 300  # max keeps its value
    assert after_exit["put"] == 6
