"""The generated jam_telemetry module: events, paired metrics, status and health, as a host app uses them."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SPEC
from telemetry_support import SAMPLES, Captured, HostConfig

from jamdash.pipeline import build
from jamdash.model.telemetry import Telemetry as TelemetryModel

KEY = "test-hash-key"


@pytest.fixture(scope="module")
def model() -> TelemetryModel:
    result = build(str(SPEC))
    assert result.model is not None and result.model.telemetry is not None, result.findings
    return result.model.telemetry


@pytest.fixture
def jam(generated_python: Path) -> ModuleType:
    return importlib.import_module("jam_telemetry")


@pytest.fixture
def logs() -> Iterator[Captured]:
    handler = Captured()
    logger = logging.getLogger("jam")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def telemetry(jam: ModuleType, **kwargs: Any) -> tuple[Any, Any]:
    metrics = importlib.import_module("jam_metrics").JamMetrics.fresh()
    kwargs.setdefault("hash_key", KEY)
    kwargs.setdefault("tracing", False)
    return jam.Telemetry(metrics, kwargs.pop("config", HostConfig()), **kwargs), metrics


def sample(metrics: Any, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_every_event_is_sampled(model: TelemetryModel) -> None:
    assert set(SAMPLES) == {e.name for e in model.events}


def test_each_event_logs_one_json_record_with_exactly_its_declared_fields(
        jam: ModuleType, logs: Captured, model: TelemetryModel) -> None:
    tel, _ = telemetry(jam)
    for event in model.events:
        logs.records.clear()
        getattr(tel, event.name)(**SAMPLES[event.name])
        assert len(logs.records) == 1, event.name
        assert logs.records[0].name == "jam"
        record = logs.events()[0]
        assert list(record) == ["event", *(f.name for f in event.fields)], event.name
        assert record["event"] == event.name


def test_field_hygiene_hashes_measures_and_escapes(jam: ModuleType, logs: Captured) -> None:
    import hashlib
    import hmac

    tel, _ = telemetry(jam)
    tel.preimage_upload(hash="h", size=b"x" * 10, media_type="text/plain", token="tok")
    tel.package_process(pkg_id="p\n{\"event\":\"forged\"}", service_id="s", duration_ms=1.0,
                        error="E" * 5000 + "\r\nINFO jam forged line")
    upload, process = logs.events()
    assert upload["size"] == 10
    assert upload["token_hash"] == hmac.new(KEY.encode(), b"tok", hashlib.sha256).hexdigest()[:jam.HASH_LENGTH]
    assert len(process["error"]) <= jam.ERROR_TEXT_MAX + 1
    assert "\n" not in process["pkg_id"] and "\\u000a" in process["pkg_id"]
    assert all("forged" not in line or line.startswith("WARNING jam {") for line in logs.text.splitlines())
    assert len(logs.text.splitlines()) == 2


def test_error_text_escapes_control_characters_that_survive_the_cut(jam: ModuleType, logs: Captured) -> None:
    tel, _ = telemetry(jam)
    tel.package_process(pkg_id="p", service_id="s", duration_ms=1.0, error=ValueError("bad\x1b[31m\u2028x"))
    error = logs.events()[0]["error"]
    assert error == "ValueError: bad\\u001b[31m\\u2028x"
    assert logs.records[0].levelno == logging.WARNING


def test_bytes_passed_where_text_belongs_are_logged_as_their_size(jam: ModuleType, logs: Captured) -> None:
    tel, _ = telemetry(jam)
    tel.package_submit(pkg_id=b"raw-id-bytes", service_id="s", token="t", pending_count=1)
    assert logs.events()[0]["pkg_id"] == "<12 bytes>"


def test_paired_metrics_follow_the_events(jam: ModuleType, logs: Captured) -> None:
    tel, m = telemetry(jam)
    for name, kwargs in SAMPLES.items():
        getattr(tel, name)(**kwargs)
    tel.preimage_upload(hash="h", size=7, media_type="x", token="t", quota_hit="too_large")
    tel.limit_reject(token="t", reason="pending_cap", limit=100, endpoint="package_submit")
    tel.package_process(pkg_id="p", service_id="s", duration_ms=5.0)
    assert sample(m, "jam_package_submit_total", store="memory", service_id="svc-1") == 1
    assert sample(m, "jam_package_pending_gauge", store="memory") == 3
    assert sample(m, "jam_package_process_total", store="memory") == 2
    assert sample(m, "jam_package_process_fail_total", store="memory", stage="refine") == 1
    assert sample(m, "jam_package_process_duration_seconds_sum", store="memory") == pytest.approx(0.0175)
    assert sample(m, "jam_preimage_put_total", store="memory") == 1
    assert sample(m, "jam_preimage_bytes_total", store="memory") == len(SAMPLES["preimage_upload"]["size"])
    assert sample(m, "jam_preimage_put_size_bytes_count", store="memory") == 2
    assert sample(m, "jam_preimage_quota_reject_total", reason="too_large") == 1
    assert sample(m, "jam_rate_limit_hits_total", endpoint="package_submit") == 1
    assert sample(m, "jam_pending_cap_hits_total", store="memory") == 1
    assert sample(m, "jam_cleanup_runs_total", store="memory") == 1
    assert sample(m, "jam_cleanup_deleted_reports_total", store="memory") == 2
    assert sample(m, "jam_cleanup_last_success_timestamp_seconds", store="memory") > 0
    assert sample(m, "jam_config_max_pending_packages") == 100


def test_metrics_update_even_when_the_logger_is_off(jam: ModuleType) -> None:
    tel, m = telemetry(jam)
    logger = logging.getLogger("jam")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        tel.package_submit(pkg_id="p", service_id="s", token="t", pending_count=1)
    finally:
        logger.setLevel(old)
    assert sample(m, "jam_package_submit_total", store="memory", service_id="s") == 1


def test_without_a_key_it_warns_once_and_still_hashes(jam: ModuleType, logs: Captured,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(jam.HASH_KEY_ENV, raising=False)
    first, _ = telemetry(jam, hash_key=None)
    telemetry(jam, hash_key=None)
    first.limit_reject(token="tok-secret", reason="rate_limit", limit=1, endpoint="status")
    warnings = [r for r in logs.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and jam.HASH_KEY_ENV in warnings[0].getMessage()
    assert "tok-secret" not in logs.text


def test_the_key_comes_from_the_environment(jam: ModuleType, logs: Captured, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import hmac

    monkeypatch.setenv(jam.HASH_KEY_ENV, "env-key")
    tel, _ = telemetry(jam, hash_key=None)
    tel.limit_reject(token="t", reason="rate_limit", limit=1, endpoint="status")
    assert logs.events()[-1]["token_hash"] == hmac.new(b"env-key", b"t", hashlib.sha256).hexdigest()[:16]
    assert not [r for r in logs.records if r.levelno == logging.WARNING]


def test_status_block_reads_the_host_config(jam: ModuleType, model: TelemetryModel) -> None:
    tel, _ = telemetry(jam, config=HostConfig(store="postgres", rate_limit_per_minute=7))
    block = tel.status_block()
    assert list(block) == [f.name for f in model.status]
    assert block["store"] == "postgres" and block["rate_limit_per_minute"] == 7


def test_an_undeclared_store_is_refused_at_start_up(jam: ModuleType) -> None:
    with pytest.raises(ValueError, match="store 'sqlite'"):
        telemetry(jam, config=HostConfig(store="sqlite"))


class TestHealth:
    WINDOW = 600 + 120

    def test_ok(self, jam: ModuleType) -> None:
        assert jam.check_health(True, True, 1000.0, 0.0, 1000.0 + self.WINDOW) == (200, {"status": "ok", "reasons": []})

    def test_store_unreachable(self, jam: ModuleType) -> None:
        assert jam.check_health(False, True, 1000.0, 0.0, 1001.0) == (
            503, {"status": "unavailable", "reasons": ["store_unreachable"]})

    def test_cleanup_stale(self, jam: ModuleType) -> None:
        assert jam.check_health(True, True, 1000.0, 0.0, 1001.0 + self.WINDOW)[1]["reasons"] == ["cleanup_stale"]

    def test_cleanup_never_succeeded_only_after_one_window(self, jam: ModuleType) -> None:
        assert jam.check_health(True, True, None, 0.0, self.WINDOW)[0] == 200
        assert jam.check_health(True, True, None, 0.0, self.WINDOW + 1)[1]["reasons"] == ["cleanup_never_succeeded"]

    def test_disabled_cleanup_is_not_checked(self, jam: ModuleType) -> None:
        assert jam.check_health(True, False, None, 0.0, 10 * self.WINDOW)[0] == 200

    def test_all_reasons_together(self, jam: ModuleType) -> None:
        assert jam.check_health(False, True, 0.0, 0.0, 10 * self.WINDOW)[1]["reasons"] == [
            "store_unreachable", "cleanup_stale"]

    def test_ping_raising_or_false_means_unreachable(self, jam: ModuleType) -> None:
        tel, _ = telemetry(jam)

        def broken() -> bool:
            raise ConnectionError("down")

        assert tel.health(broken) == (503, {"status": "unavailable", "reasons": ["store_unreachable"]})
        assert tel.health(lambda: False)[0] == 503
        assert tel.health(lambda: None)[0] == 200

    def test_cleanup_event_marks_the_runner_healthy(self, jam: ModuleType) -> None:
        tel, _ = telemetry(jam)
        assert tel.health(lambda: True, last_cleanup=1.0)[1]["reasons"] == ["cleanup_stale"]
        tel.cleanup_run(**SAMPLES["cleanup_run"])
        assert tel.health(lambda: True)[0] == 200
