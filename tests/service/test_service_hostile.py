"""Hostile input answers 4xx on both stores, with nothing stored and no rate-limit budget used."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from jamservice import TOKEN, Harness, running
from pg import PostgresServer

from jamdash.service.config import ServiceConfig
from jamdash.service.ratelimit import RateLimiter

pytestmark = pytest.mark.anyio

JSON: dict[str, str | bytes] = {**TOKEN, "content-type": "application/json"}

# (method, path, headers, body, status, reason)
CASES: dict[str, tuple[str, str, dict[str, str | bytes], bytes | None, int, str]] = {
    "30k-deep JSON": ("POST", "/jam/packages", JSON, b'{"payload": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",
                      400, "malformed_json"),
    "5000-digit integer": ("POST", "/jam/packages", JSON, b'{"service_id": ' + b"9" * 5000 + b', "payload": "w"}',
                           400, "malformed_json"),
    "NUL in the payload": ("POST", "/jam/packages", JSON, b'{"service_id": 1, "payload": "a\\u0000b"}',
                           422, "invalid_package"),
    "lone surrogate in the payload": ("POST", "/jam/packages", JSON, b'{"service_id": 1, "payload": "a\\ud800b"}',
                                      422, "invalid_package"),
    "superscript limit": ("GET", "/jam/packages?limit=%C2%B2", {}, None, 400, "invalid_limit"),
    "superscript content length": ("POST", "/jam/packages", {**JSON, "content-length": "\u00b2".encode("latin-1")}, b"",
                                   400, "bad_content_length"),
    "garbage cursor": ("GET", "/jam/packages?cursor=%FF%FE", {}, None, 400, "invalid_cursor"),
    "forged cursor": ("GET", "/jam/packages?cursor=bm90IGEgY3Vyc29y", {}, None, 400, "invalid_cursor"),
    "60 KB token": ("POST", "/jam/packages", {"authorization": "Bearer " + "t" * 60_000,
                                              "content-type": "application/json"},
                    b'{"service_id": 1, "payload": "w"}', 401, "invalid_token"),
}


@pytest.fixture(params=["memory", "postgres"])
async def jam(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    config = ServiceConfig(cleanup_enabled=False, rate_limit_per_minute=2)
    if request.param == "postgres":
        cluster: PostgresServer = request.getfixturevalue("pg_cluster")
        config = ServiceConfig(store="postgres", dsn=cluster.create_database(), cleanup_enabled=False,
                               rate_limit_per_minute=2)
    async with running(config) as harness:
        yield harness


@pytest.mark.parametrize("case", list(CASES))
async def test_hostile_input_gets_a_4xx_and_changes_nothing(jam: Harness, case: str) -> None:
    method, path, headers, body, status, reason = CASES[case]
    response = await jam.client.request(method, path, headers=headers, content=body)
    assert (response.status_code, response.json()["error"]) == (status, reason)
    assert await jam.svc.store.list_packages(10) == []
    endpoint = "package_submit" if method == "POST" else "package_list"
    assert jam.sample("jam_http_requests_total", endpoint=endpoint, code_class="4xx") == 1
    assert jam.sample("jam_http_requests_total", endpoint=endpoint, code_class="5xx") == 0
    assert [(await jam.submit()).status_code for _ in range(3)] == [202, 202, 429]


async def test_pending_cap_refusals_use_no_rate_limit_budget(pg_cluster: PostgresServer) -> None:
    # A package takes 3 stages x 0.2s: far longer than the few in-process submits it must outlast.
    for config in (ServiceConfig(cleanup_enabled=False, rate_limit_per_minute=3, max_pending_packages=1,
                                 workers=1, stage_delay_seconds=0.2),
                   ServiceConfig(store="postgres", dsn=pg_cluster.create_database(), cleanup_enabled=False,
                                 rate_limit_per_minute=3, max_pending_packages=1, workers=1,
                                 stage_delay_seconds=0.2)):
        async with running(config) as jam:
            assert (await jam.submit()).status_code == 202
            refused = [await jam.submit() for _ in range(5)]
            assert {(r.status_code, r.json()["error"]) for r in refused} == {(503, "pending_cap")}
            await jam.drained()
            assert [(await jam.submit()).status_code for _ in range(2)] == [202, 503]
            await jam.drained()
            assert (await jam.submit()).status_code == 202  # the third of three a minute
            await jam.drained()
            assert (await jam.submit()).status_code == 429


async def test_unique_hostile_tokens_keep_the_limiter_bounded() -> None:
    config = ServiceConfig(cleanup_enabled=False, rate_limit_tokens=100, max_pending_packages=1,
                           workers=1, stage_delay_seconds=5.0)
    async with running(config) as jam:
        await jam.submit()
        for n in range(300):  # each refused by the pending cap, each with a new 1000-character token
            assert (await jam.submit(token=f"{n:04d}" + "x" * 996)).status_code == 503
        assert len(jam.svc.limiter) == 100


def test_the_limiter_forgets_the_least_recently_used_token_first() -> None:
    now = [0.0]
    limiter = RateLimiter(1, max_tokens=2, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("b")
    assert not limiter.allow("a")  # a is now the most recent
    assert limiter.allow("c")  # b is forgotten
    assert not limiter.allow("a") and len(limiter) == 2
    assert limiter.allow("b")  # starts again with a full bucket


async def test_the_package_list_pages_with_a_cursor() -> None:
    async with running(ServiceConfig(cleanup_enabled=False, rate_limit_per_minute=100)) as jam:
        ids = [(await jam.submit()).json()["id"] for _ in range(7)]
        seen: list[str] = []
        params: dict[str, str | int] = {"limit": 3}
        while True:
            page = (await jam.client.get("/jam/packages", params=params)).json()
            seen += [p["id"] for p in page["packages"]]
            if page["next"] is None:
                break
            params["cursor"] = page["next"]
        assert seen == ids[::-1]
        assert len(json.dumps(page)) > 0 and len(page["packages"]) == 1
