"""The generated runtime under hostile calls: bad secrets, NaN durations, secrets in errors, long and torn labels."""

from __future__ import annotations

import base64
import importlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
from conftest import GENERATED
from prometheus_client import CollectorRegistry
from telemetry_support import Captured, HostConfig

TOKEN = "Bearer-s3cr3t+token/é"


def _telemetry(generated_python: Path) -> tuple[ModuleType, Any, Any]:
    metrics = importlib.import_module("jam_metrics").JamMetrics(CollectorRegistry())
    jam = importlib.import_module("jam_telemetry")
    return jam, metrics, jam.Telemetry(metrics, HostConfig(), hash_key="k")


def _captured() -> Captured:
    handler = Captured()
    logging.getLogger("jam").addHandler(handler)
    logging.getLogger("jam").setLevel(logging.INFO)
    return handler


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("token", [None, 7, ["t"]])
def test_a_token_that_is_not_text_raises_before_anything_is_counted(generated_python: Path, token: object) -> None:
    _, metrics, tel = _telemetry(generated_python)
    with pytest.raises(TypeError, match="token must be str or bytes"):
        tel.package_submit(pkg_id="p", service_id="s", token=token, pending_count=1)
    registry = metrics.registry
    assert registry.get_sample_value("jam_package_submit_total", {"store": "memory", "service_id": "s"}) is None


def test_a_lone_surrogate_token_is_hashed_and_counted(generated_python: Path) -> None:
    _, metrics, tel = _telemetry(generated_python)
    handler = _captured()
    try:
        tel.package_submit(pkg_id="p", service_id="s", token="a\ud800b", pending_count=1)
    finally:
        logging.getLogger("jam").removeHandler(handler)
    assert metrics.registry.get_sample_value("jam_package_submit_total", {"store": "memory", "service_id": "s"}) == 1
    assert len(handler.events()[0]["token_hash"]) == 16


@pytest.mark.parametrize("duration", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_duration_logs_null_and_is_not_observed(generated_python: Path, duration: float) -> None:
    _, metrics, tel = _telemetry(generated_python)
    handler = _captured()
    try:
        tel.package_process(pkg_id="p", service_id="s", duration_ms=duration, error="boom", failed_stage="refine")
        tel.package_process(pkg_id="p", service_id="s", duration_ms=12.0)
        tel.cleanup_run(cutoff=0.0, duration_ms=duration, deleted_counts={"packages": 0, "reports": 0, "preimages": 0})
    finally:
        logging.getLogger("jam").removeHandler(handler)
    records = [_strict(r.getMessage()) for r in handler.records]
    assert [r.get("duration_ms") for r in records] == [None, 12.0, None]
    registry = metrics.registry
    assert registry.get_sample_value("jam_package_process_duration_seconds_sum", {"store": "memory"}) == 0.012
    assert registry.get_sample_value("jam_package_process_total", {"store": "memory"}) == 2


def test_error_text_never_carries_the_request_token_in_any_encoding(generated_python: Path) -> None:
    _, _, tel = _telemetry(generated_python)
    raw = TOKEN.encode()
    forms = [TOKEN, quote(TOKEN, safe=""), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode(),
             raw.hex(), json.dumps(TOKEN)[1:-1], repr(TOKEN)[1:-1]]
    handler = _captured()
    try:
        with tel.incoming({"authorization": f"Bearer {TOKEN}"}):
            for form in forms:
                tel.package_process(pkg_id="p", service_id="s", duration_ms=1.0,
                                    error=RuntimeError(f"upstream refused token {form} at 10:00"))
        tel.package_process(pkg_id="p", service_id="s", duration_ms=1.0, error="outside: no-secret-here")
    finally:
        logging.getLogger("jam").removeHandler(handler)
    errors = [e["error"] for e in handler.events()]
    assert errors[:-1] == ["RuntimeError: upstream refused token <redacted> at 10:00"] * len(forms)
    assert errors[-1] == "outside: no-secret-here"
    for form in forms:
        assert form not in handler.text


def test_without_a_key_every_telemetry_in_a_process_hashes_alike(generated_python: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAM_LOG_HASH_KEY", raising=False)
    jam_metrics = importlib.import_module("jam_metrics")
    jam = importlib.import_module("jam_telemetry")
    first = jam.Telemetry(jam_metrics.JamMetrics(CollectorRegistry()), HostConfig())
    second = jam.Telemetry(jam_metrics.JamMetrics(CollectorRegistry()), HostConfig())
    assert first._hash("token") == second._hash("token")


def test_a_bounded_label_value_past_max_length_folds(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics(CollectorRegistry())
    metrics.jam_package_submit_total["memory", "x" * 128].inc()
    metrics.jam_package_submit_total["memory", "y" * 129].inc()
    metrics.jam_package_submit_total["memory", "z" * (1 << 20)].inc()
    registry = metrics.registry
    assert registry.get_sample_value("jam_package_submit_total", {"store": "memory", "service_id": "x" * 128}) == 1
    assert registry.get_sample_value("jam_package_submit_total", {"store": "memory", "service_id": "other"}) == 2


ADMIT = """
import json, sys
from prometheus_client import CollectorRegistry
from jam_metrics import JamMetrics
metrics = JamMetrics(CollectorRegistry())
for value in sys.argv[1:]:
    metrics.jam_package_submit_total["memory", value].inc()
print(json.dumps(sorted({k[1] for k in metrics.jam_package_submit_total})))
"""


def test_a_torn_line_in_the_admitted_file_is_skipped_and_admission_goes_on(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(GENERATED / "python"),
           "PYTHONDONTWRITEBYTECODE": "1"}

    def admit(*values: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", ADMIT, *values], env=env, capture_output=True, text=True,
                              timeout=60, check=True)
        return list(json.loads(done.stdout))

    assert admit("a") == ["a"]
    admitted = tmp_path / "jam_package_submit_total.service_id.admitted"
    with admitted.open("ab") as shared:
        shared.write(b'"torn-by-a-kil')  # a writer killed mid-line: no closing quote, no newline
    assert admit("b", "c") == ["b", "c"]
    lines = admitted.read_bytes().splitlines()
    assert lines == [b'"a"', b'"torn-by-a-kil', b'"b"', b'"c"']
    assert admit("d") == ["d"]  # the others still read every whole line
