"""The JAM service's HTTP behaviour and the metrics it bumps: happy path, quotas, limits, processing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from jamservice import TOKEN, Harness, running, sha

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio

CONFIG = ServiceConfig(max_preimage_bytes=1000, rate_limit_per_minute=5, max_pending_packages=50,
                       cleanup_enabled=False, fault_injection=True)


@pytest.fixture
async def jam() -> AsyncIterator[Harness]:
    async with running(CONFIG) as harness:
        yield harness


async def test_preimage_put_get_head_bump_their_metrics(jam: Harness) -> None:
    data = b"x" * 300
    put = await jam.put(data, "text/plain")
    assert put.status_code == 201 and put.json() == {"hash": sha(data), "size": 300, "media_type": "text/plain",
                                                     "created": True}
    assert (await jam.put(data, "text/plain")).status_code == 200  # idempotent
    got = await jam.client.get(f"/jam/preimages/{sha(data)}")
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, data, "text/plain; charset=utf-8")
    head = await jam.client.head(f"/jam/preimages/{sha(data)}")
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "300")
    assert (await jam.client.head(f"/jam/preimages/{sha(b'nope')}")).status_code == 404
    assert jam.sample("jam_preimage_put_total", store="memory") == 2
    assert jam.sample("jam_preimage_bytes_total", store="memory") == 600
    assert jam.sample("jam_preimage_put_duration_seconds_count", store="memory") == 2
    assert jam.sample("jam_preimage_put_size_bytes_bucket", store="memory", le="1024.0") == 2
    assert jam.sample("jam_preimage_put_size_bytes_bucket", store="memory", le="256.0") == 0
    assert jam.sample("jam_preimage_get_total", store="memory") == 1
    assert jam.sample("jam_preimage_head_total", store="memory") == 2
    assert jam.sample("jam_http_requests_total", endpoint="preimage_put", code_class="2xx") == 2
    assert jam.sample("jam_http_requests_total", endpoint="preimage_head", code_class="4xx") == 1


async def test_a_package_is_refined_attested_and_accumulated(jam: Harness) -> None:
    data = b"preimage"
    await jam.put(data)
    submitted = await jam.submit(service_id=7, preimages=[sha(data)])
    assert submitted.status_code == 202 and submitted.json()["status"] == "pending"
    assert jam.sample("jam_package_submit_total", store="memory", service_id="7") == 1
    await jam.drained()
    detail = (await jam.client.get(submitted.json()["url"])).json()
    assert (detail["status"], detail["error"], len(detail["attestations"])) == ("done", None, 1)
    assert detail["report"]["attestations"] == 1 and len(detail["report"]["digest"]) == 64
    assert jam.sample("jam_package_process_total", store="memory") == 1
    assert jam.sample("jam_package_process_duration_seconds_count", store="memory") == 1
    assert jam.sample("jam_attestations_total", store="memory") == 1
    assert jam.sample("jam_reports_total", store="memory") == 1
    assert jam.sample("jam_package_pending_gauge", store="memory") == 0
    for stage in ("refine", "attest", "accumulate"):
        assert jam.sample("jam_package_stage_duration_seconds_count", stage=stage) == 1
    listed = (await jam.client.get("/jam/packages?status=done&limit=5")).json()["packages"]
    assert [p["id"] for p in listed] == [detail["id"]]


@pytest.mark.parametrize(("package", "stage", "error", "attested"), [
    ({"fault": "refine"}, "refine", "refine: injected fault", 0),
    ({"fault": "attest"}, "attest", "attest: injected fault", 0),
    ({"fault": "accumulate"}, "accumulate", "accumulate: injected fault", 1),
    ({"preimages": ["0" * 64]}, "refine", f"refine: missing preimage {'0' * 64}", 0),
])
async def test_a_failing_stage_fails_the_package_with_its_error(
        jam: Harness, package: dict[str, Any], stage: str, error: str, attested: int) -> None:
    submitted = await jam.submit(**package)
    await jam.drained()
    detail = (await jam.client.get(submitted.json()["url"])).json()
    assert (detail["status"], detail["error"], len(detail["attestations"]), detail["report"]) == \
        ("failed", error, attested, None)
    assert jam.sample("jam_package_process_fail_total", store="memory", stage=stage) == 1
    assert jam.sample("jam_package_process_total", store="memory") == 1
    assert jam.sample("jam_attestations_total", store="memory") == attested  # attest succeeded before
    assert jam.sample("jam_reports_total", store="memory") == 0


async def test_oversize_uploads_are_refused_413_too_large(jam: Harness) -> None:
    refused = await jam.put(b"x" * 1001)
    assert (refused.status_code, refused.json()["error"]) == (413, "too_large")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the cap applies while reading
        for _ in range(5):
            yield b"y" * 400

    streamed = await jam.client.put(f"/jam/preimages/{'a' * 64}", content=chunks(),
                                    headers={**TOKEN, "content-type": "application/octet-stream"})
    assert (streamed.status_code, streamed.json()["error"]) == (413, "too_large")
    assert jam.sample("jam_preimage_quota_reject_total", reason="too_large") == 2
    assert jam.sample("jam_preimage_put_size_bytes_count", store="memory") == 2
    assert jam.sample("jam_preimage_put_total", store="memory") == 0
    assert jam.sample("jam_http_requests_total", endpoint="preimage_put", code_class="4xx") == 2


@pytest.mark.parametrize("media_type", ["image/png", ""])
async def test_other_media_types_are_refused_415_unsupported_media(jam: Harness, media_type: str) -> None:
    refused = await jam.put(b"data", media_type)
    assert (refused.status_code, refused.json()["error"]) == (415, "unsupported_media")
    assert "application/octet-stream" in refused.json()["allowed"]
    assert jam.sample("jam_preimage_quota_reject_total", reason="unsupported_media") == 1
    assert jam.sample("jam_preimage_put_total", store="memory") == 0
    assert (await jam.client.head(f"/jam/preimages/{sha(b'data')}")).status_code == 404


async def test_a_token_past_its_rate_limit_gets_429(jam: Harness) -> None:
    statuses = [(await jam.submit()).status_code for _ in range(CONFIG.rate_limit_per_minute)]
    limited = await jam.submit()
    other_token = await jam.submit(token="someone-else")
    assert statuses == [202] * CONFIG.rate_limit_per_minute
    assert (limited.status_code, limited.json()["error"], limited.json()["limit"]) == (429, "rate_limited", 5)
    assert int(limited.headers["retry-after"]) >= 1
    assert other_token.status_code == 202
    assert jam.sample("jam_rate_limit_hits_total", endpoint="package_submit") == 1
    assert jam.sample("jam_package_submit_total", store="memory", service_id="1") == 6
    assert jam.sample("jam_http_requests_total", endpoint="package_submit", code_class="4xx") == 1


async def test_submissions_past_the_pending_cap_get_503() -> None:
    config = replace(CONFIG, max_pending_packages=2, stage_delay_seconds=0.5, rate_limit_per_minute=100)
    async with running(config) as jam:
        statuses = [(await jam.submit()).status_code for _ in range(4)]
        assert statuses == [202, 202, 503, 503]
        refused = await jam.submit()
        assert refused.json()["error"] == "pending_cap" and refused.headers["retry-after"] == "1"
        assert jam.sample("jam_pending_cap_hits_total", store="memory") == 3
        assert jam.sample("jam_package_pending_gauge", store="memory") == 2
        assert jam.sample("jam_package_submit_total", store="memory", service_id="1") == 2
        assert jam.sample("jam_http_requests_total", endpoint="package_submit", code_class="5xx") == 3


async def test_config_gauges_and_status_block_show_the_limits(jam: Harness) -> None:
    assert jam.sample("jam_config_rate_limit_requests") == 5
    assert jam.sample("jam_config_max_preimage_bytes") == 1000
    assert jam.sample("jam_config_max_pending_packages") == 50
    status = await jam.client.get("/system/status")
    assert status.json()["jam"] == {"enabled": True, "store": "memory", "rate_limit_per_minute": 5,
                                    "max_preimage_bytes": 1000, "max_pending_packages": 50,
                                    "cleanup_enabled": False}
    assert jam.sample("jam_http_requests_total", endpoint="status", code_class="2xx") == 1


async def test_metrics_endpoint_serves_the_apps_own_registry(jam: Harness) -> None:
    await jam.put(b"abc")
    scraped = await jam.client.get("/metrics")
    assert scraped.headers["content-type"].startswith("text/plain; version=")
    assert 'jam_preimage_put_total{store="memory"} 1.0' in scraped.text
    assert "jam_config_max_pending_packages 50.0" in scraped.text
    assert "python_gc_objects_collected_total" not in scraped.text  # not the global registry


async def test_unknown_routes_and_methods_answer_json(jam: Harness) -> None:
    missing = await jam.client.get("/jam/nothing")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    wrong = await jam.client.delete("/jam/packages")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "method_not_allowed")


async def test_the_traceparent_of_a_submit_is_kept_with_the_package(jam: Harness) -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    submitted = await jam.client.post("/jam/packages", json={"service_id": 1, "payload": "p"},
                                      headers={**TOKEN, "traceparent": traceparent})
    detail = await jam.svc.store.get_package(submitted.json()["id"])
    assert detail is not None and detail.package.traceparent == traceparent
