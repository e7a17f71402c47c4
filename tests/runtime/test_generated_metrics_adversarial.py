"""Hostile label values against the generated module: bounded series, flat memory, safe under threads."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import tracemalloc
from types import ModuleType

import pytest

from conftest import GENERATED
from metrics_scrape import family_name, scrape, series_by_metric, touch_all

from jamdash.model import Model

DISTINCT = 100_000
# The memory test's distinct values (tracing is slow): even keeping one 8-byte reference per value would
# grow memory 40,000 x 8 = 320 KB for service ids and 20,000 x 8 = 160 KB for stores (every second
# value), 5x and 2.5x the 64 KiB bound; storing the values themselves costs several MB.
TRACED = 40_000


def hammer(metrics: object, start: int, count: int, every_store: int = 1) -> None:
    """count distinct service_id values, and an unknown store value every `every_store` of them."""
    submit = metrics.jam_package_submit_total  # type: ignore[attr-defined]
    attest = metrics.jam_attestations_total  # type: ignore[attr-defined]
    for i in range(start, start + count):
        submit["memory", f"service-{i}"].inc()
        if i % every_store == 0:
            attest[f"store-{i}"].inc()


def test_distinct_values_keep_every_metric_within_budget(jam_metrics: ModuleType, model: Model) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    touch_all(metrics, model)
    hammer(metrics, 0, DISTINCT)
    for i in range(DISTINCT // 10):
        metrics.jam_http_requests_total[f"/preimage/{i}", str(i)].inc()
        metrics.jam_package_stage_duration_seconds[f"stage-{i}"].observe(0.1)
    counts = series_by_metric(scrape(metrics.registry))
    for metric in model.metrics:
        assert counts[family_name(metric)] <= metric.series_budget, metric.name
    assert sum(counts.values()) <= jam_metrics.SERIES_BUDGET == model.total_series
    get = metrics.registry.get_sample_value
    assert get("jam_package_submit_total", {"store": "memory", "service_id": "other"}) == DISTINCT - 15  # "svc-1" came first
    assert get("jam_attestations_total", {"store": "other"}) == DISTINCT
    assert get("jam_metrics_label_overflow_total",
               {"metric": "jam_attestations_total", "label": "store"}) == DISTINCT


@pytest.mark.slow
def test_memory_stays_flat_under_distinct_values(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    hammer(metrics, 0, 2_000)  # warm-up: admit the bounded values, bind the overflow children
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        hammer(metrics, 2_000, TRACED, every_store=2)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    # Storing each distinct value (a str, a dict slot) would cost several MB; folding costs nothing.
    assert growth < 64 * 1024, growth


def test_whole_scrape_within_budget_when_created_samples_are_off(model: Model) -> None:
    """With prometheus_client's `_created` samples off, every exported line counts against the budget."""
    script = (
        "import jam_metrics, prometheus_client\n"
        "m = jam_metrics.JamMetrics.fresh()\n"
        "for i in range(20000):\n"
        "    m.jam_package_submit_total[('memory', 'postgres', 'x')[i % 3], str(i)].inc()\n"
        "    m.jam_preimage_put_duration_seconds[str(i)].observe(0.01)\n"
        "    m.jam_rate_limit_hits_total[str(i)].inc()\n"
        "print(prometheus_client.generate_latest(m.registry).decode())\n"
    )
    env = {**os.environ, "PROMETHEUS_DISABLE_CREATED_SERIES": "True", "PYTHONPATH": str(GENERATED / "python"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    samples = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    assert not [line for line in samples if "_created" in line]
    assert 0 < len(samples) <= model.total_series


def test_folding_is_thread_safe(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    threads, calls, pool = 8, 5_000, 64
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(seed: int) -> None:
        try:
            start.wait()
            for i in range(calls):
                metrics.jam_package_submit_total["postgres", f"svc-{(i * 7 + seed) % pool}"].inc()
        except BaseException as error:  # noqa: BLE001 - any failure in a thread fails the test
            errors.append(error)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors
    get = metrics.registry.get_sample_value
    admitted = [key for key in metrics.jam_package_submit_total if key[1] != "other"]
    assert len(admitted) == 16
    total = sum(get("jam_package_submit_total", {"store": store, "service_id": sid}) or 0
                for store, sid in metrics.jam_package_submit_total)
    assert total == threads * calls
    folded = get("jam_package_submit_total", {"store": "postgres", "service_id": "other"})
    assert folded == get("jam_metrics_label_overflow_total",
                         {"metric": "jam_package_submit_total", "label": "service_id"})
    assert folded == threads * calls - sum(
        get("jam_package_submit_total", {"store": "postgres", "service_id": sid}) for _, sid in admitted)
