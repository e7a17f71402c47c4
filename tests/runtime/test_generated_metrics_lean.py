"""The generated module's lean Counter, Gauge and Histogram behave exactly as prometheus_client's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import lean_scenario
from conftest import GENERATED, ROOT
from prometheus_client import Counter, Gauge, Histogram

from jamdash.generate.python_metrics import PRIVATE_ATTRIBUTES

LEAN = {"Counter": "_LeanCounter", "Gauge": "_LeanGauge", "Histogram": "_LeanHistogram"}


def test_same_errors_and_exposition_as_prometheus_client(jam_metrics: ModuleType) -> None:
    stock, lean = lean_scenario.run(Counter, Gauge, Histogram), lean_scenario.run_lean(jam_metrics)
    assert lean["outcomes"] == stock["outcomes"]
    assert lean["text"] == stock["text"]
    assert lean["openmetrics"] == stock["openmetrics"]  # exemplars included
    # The scenario reaches the paths that matter: refused updates, exemplars, +Inf and NaN.
    errors = [o for o in stock["outcomes"] if o is not None]
    assert sum("missing label values" in e for e in errors) == 9
    assert sum(e.startswith("RuntimeError") for e in errors) == 3
    assert "Counters can only be incremented by non-negative amounts." in errors[0]
    assert '# {trace_id="abc"} 0.5' in str(stock["openmetrics"])
    assert 'lean_duration_seconds_bucket{le="+Inf",stage="attest"} 2.0' in str(stock["text"])


def test_same_in_multiprocess_mode(tmp_path: Path) -> None:
    runs = {}
    for which in ("stock", "lean"):
        directory = tmp_path / which
        directory.mkdir()
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "support"), str(GENERATED / "python")])}
        result = subprocess.run([sys.executable, "-m", "lean_scenario", which], env=env, capture_output=True,
                                text=True, timeout=120, check=True)
        runs[which] = json.loads(result.stdout)
        assert any(directory.glob("*.db")), f"{which}: no multiprocess files written"
    assert runs["lean"] == runs["stock"]
    assert 'lean_pending{store="memory"} 4.5' in runs["stock"]["text"]  # livesum, one live process


def test_children_are_lean_and_have_what_the_lean_methods_read(jam_metrics: ModuleType) -> None:
    """A prometheus_client that renamed these attributes would send every update down its own slower
    path (correct, but no longer lean): this is where that shows first."""
    metrics = jam_metrics.JamMetrics.fresh()
    children = {
        "Counter": metrics.jam_http_requests_total["status", "2xx"],
        "Gauge": metrics.jam_package_pending_gauge["memory"],
        "Histogram": metrics.jam_package_stage_duration_seconds["refine"],
    }
    for kind, child in children.items():
        assert type(child) is getattr(jam_metrics, LEAN[kind]), kind
        for name in PRIVATE_ATTRIBUTES[kind]:
            assert hasattr(child, name), f"{kind} children have no {name}"
    assert type(metrics.jam_config_max_pending_packages) is jam_metrics._LeanGauge
    assert not hasattr(metrics.jam_http_requests_total._metric, "_value")  # a parent takes Counter.inc()
