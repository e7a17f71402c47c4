"""Bad input gets a clear 4xx JSON error and changes no state: no record, no counter, no rate-limit use."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from jamservice import TOKEN, Harness, running, sha

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio

CONFIG = ServiceConfig(max_preimage_bytes=100, max_package_bytes=2000, rate_limit_per_minute=2,
                       cleanup_enabled=False)
JSON = {**TOKEN, "content-type": "application/json"}
OCTETS = {**TOKEN, "content-type": "application/octet-stream"}
GOOD = {"service_id": 1, "payload": "work"}

# (method, path, headers, body, status, reason)
CASES: dict[str, tuple[str, str, dict[str, str], bytes | None, int, str]] = {
    "preimage wrong hash": ("PUT", f"/jam/preimages/{sha(b'other')}", OCTETS, b"data", 400, "hash_mismatch"),
    "preimage malformed hash": ("PUT", "/jam/preimages/XYZ", OCTETS, b"data", 400, "invalid_hash"),
    "preimage huge body": ("PUT", f"/jam/preimages/{sha(b'x' * 101)}", OCTETS, b"x" * 101, 413, "too_large"),
    "preimage missing token": ("PUT", f"/jam/preimages/{sha(b'data')}", {"content-type": "text/plain"},
                               b"data", 401, "missing_token"),
    "preimage basic auth": ("PUT", f"/jam/preimages/{sha(b'data')}",
                            {"authorization": "Basic dTpw", "content-type": "text/plain"}, b"data", 401,
                            "missing_token"),
    "preimage get malformed hash": ("GET", "/jam/preimages/abc", {}, None, 400, "invalid_hash"),
    "package malformed json": ("POST", "/jam/packages", JSON, b'{"service_id": 1,', 400, "malformed_json"),
    "package not utf-8": ("POST", "/jam/packages", JSON, b"\xff\xfe", 400, "malformed_json"),
    "package not an object": ("POST", "/jam/packages", JSON, b"[1, 2]", 422, "invalid_package"),
    "package unknown field": ("POST", "/jam/packages", JSON, json.dumps({**GOOD, "owner": "me"}).encode(),
                              422, "invalid_package"),
    "package missing field": ("POST", "/jam/packages", JSON, b'{"service_id": 1}', 422, "invalid_package"),
    "package wrong type": ("POST", "/jam/packages", JSON, json.dumps({**GOOD, "service_id": "1"}).encode(),
                           422, "invalid_package"),
    "package service id out of range": ("POST", "/jam/packages", JSON,
                                        json.dumps({**GOOD, "service_id": 2**32}).encode(), 422,
                                        "invalid_package"),
    "package bad preimage hash": ("POST", "/jam/packages", JSON,
                                  json.dumps({**GOOD, "preimages": ["nothex"]}).encode(), 422, "invalid_package"),
    "package fault without injection": ("POST", "/jam/packages", JSON,
                                        json.dumps({**GOOD, "fault": "refine"}).encode(), 422, "invalid_package"),
    "package huge body": ("POST", "/jam/packages", JSON,
                          json.dumps({**GOOD, "payload": "x" * 3000}).encode(), 413, "too_large"),
    "package missing token": ("POST", "/jam/packages", {"content-type": "application/json"},
                              json.dumps(GOOD).encode(), 401, "missing_token"),
    "package empty token": ("POST", "/jam/packages", {"authorization": "Bearer  ",
                                                      "content-type": "application/json"},
                            json.dumps(GOOD).encode(), 401, "missing_token"),
    "package not json": ("POST", "/jam/packages", {**TOKEN, "content-type": "text/plain"},
                         json.dumps(GOOD).encode(), 415, "unsupported_media"),
    "list bad limit": ("GET", "/jam/packages?limit=0", {}, None, 400, "invalid_limit"),
    "list bad status": ("GET", "/jam/packages?status=lost", {}, None, 400, "invalid_status"),
    "list unknown parameter": ("GET", "/jam/packages?sort=asc", {}, None, 400, "unknown_parameter"),
    "package malformed id": ("GET", "/jam/packages/123", {}, None, 400, "invalid_id"),
    "package unknown id": ("GET", f"/jam/packages/{'0' * 32}", {}, None, 404, "not_found"),
}

COUNTERS = [
    ("jam_preimage_put_total", {"store": "memory"}),
    ("jam_preimage_bytes_total", {"store": "memory"}),
    ("jam_package_submit_total", {"store": "memory", "service_id": "1"}),
    ("jam_package_pending_gauge", {"store": "memory"}),
    ("jam_rate_limit_hits_total", {"endpoint": "package_submit"}),
    ("jam_pending_cap_hits_total", {"store": "memory"}),
]


@pytest.fixture
async def jam() -> AsyncIterator[Harness]:
    async with running(CONFIG) as harness:
        yield harness


async def _state(jam: Harness) -> tuple[Any, ...]:
    packages = await jam.svc.store.list_packages(500)
    preimages = [await jam.svc.store.get_preimage(sha(d)) for d in (b"data", b"x" * 101)]
    return (packages, preimages, [jam.sample(name, **labels) for name, labels in COUNTERS])


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_input_gets_a_clear_4xx_and_changes_nothing(jam: Harness, case: str) -> None:
    method, path, headers, body, status, reason = CASES[case]
    before = await _state(jam)
    response = await jam.client.request(method, path, headers=headers, content=body)
    assert response.status_code == status
    answer = response.json()
    assert answer["error"] == reason
    assert isinstance(answer["message"], str) and answer["message"]
    assert await _state(jam) == before
    assert jam.sample("jam_http_requests_total", endpoint=_endpoint(method, path), code_class="4xx") == 1


async def test_refused_input_does_not_use_up_the_rate_limit(jam: Harness) -> None:
    for _ in range(5):
        await jam.client.post("/jam/packages", headers=JSON, content=b"{")
    assert [(await jam.submit()).status_code for _ in range(3)] == [202, 202, 429]


async def test_validation_problems_name_the_field(jam: Harness) -> None:
    response = await jam.client.post("/jam/packages", headers=JSON, content=json.dumps({**GOOD, "owner": 1}))
    assert response.json()["problems"] == [{"field": "owner", "problem": "Extra inputs are not permitted"}]


def _endpoint(method: str, path: str) -> str:
    kind = "preimage" if path.startswith("/jam/preimages") else "package"
    if method == "PUT":
        return "preimage_put"
    if method == "POST":
        return "package_submit"
    if kind == "preimage":
        return "preimage_get"
    return "package_list" if path.startswith("/jam/packages?") else "package_get"
