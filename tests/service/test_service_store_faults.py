"""A real PostgreSQL that freezes (SIGSTOP) or stops under the service: bounded answers, nothing lost."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import anyio
import httpx
import pytest
from jamservice import Harness, running
from pg import PostgresServer

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio

BOUND = 2.0  # store_timeout_seconds in these tests
SLACK = 3.0  # a busy 2-core CI machine


@contextmanager
def frozen(cluster: PostgresServer) -> Iterator[None]:
    cluster.freeze()
    try:
        yield
    finally:
        cluster.thaw()


T = TypeVar("T")


async def timed(call: Awaitable[T]) -> tuple[T, float]:
    started = time.monotonic()
    result = await call
    return result, time.monotonic() - started


async def until(jam: Harness, path: str, status: int, timeout: float = 20.0) -> None:
    with anyio.fail_after(timeout):
        while (await jam.client.get(path)).status_code != status:
            await anyio.sleep(0.1)


@pytest.mark.slow
async def test_a_frozen_postgresql_gives_bounded_503s_and_healthz_answers_on_its_own(
        pg_cluster: PostgresServer) -> None:
    config = ServiceConfig(store="postgres", dsn=pg_cluster.create_database(), cleanup_enabled=False,
                           store_timeout_seconds=BOUND, health_timeout_seconds=0.5)
    async with running(config) as jam:
        assert (await jam.submit()).status_code == 202
        await jam.drained()
        with frozen(pg_cluster):
            results: dict[str, tuple[httpx.Response, float]] = {}

            async def submit() -> None:
                results["submit"] = await timed(jam.submit())

            async with anyio.create_task_group() as group:
                group.start_soon(submit)
                await anyio.sleep(0.2)  # the submit now holds the store's connection
                health, took = await timed(jam.client.get("/jam/healthz"))
                assert took < 0.5 + SLACK, "healthz waited behind the submit"
                assert (health.status_code, health.json()["reasons"]) == (503, ["store_unreachable"])
            refused, took = results["submit"]
            assert took < BOUND + SLACK
            assert (refused.status_code, refused.json()["error"]) == (503, "store_unavailable")
        await until(jam, "/jam/healthz", 200)
        assert (await jam.submit()).status_code == 202
        await jam.drained()
        stored = await jam.svc.store.list_packages(10)
        assert [p.status for p in stored] == ["done", "done"]
        assert jam.sample("jam_package_submit_total", store="postgres", service_id="1") == 2
        assert jam.sample("jam_package_process_total", store="postgres") == 2


@pytest.mark.slow
async def test_an_outage_while_packages_are_processed_loses_none_and_frees_the_pending_cap(
        pg_cluster: PostgresServer) -> None:
    config = ServiceConfig(store="postgres", dsn=pg_cluster.create_database(), cleanup_enabled=False,
                           max_pending_packages=4, stage_delay_seconds=0.5, store_timeout_seconds=BOUND)
    async with running(config) as jam:
        ids = [(await jam.submit()).json()["id"] for _ in range(4)]
        assert (await jam.submit()).json()["error"] == "pending_cap"
        pg_cluster.stop()  # the four are in their stages: recording their outcomes fails
        try:
            await anyio.sleep(2.5)
            health = await jam.client.get("/jam/healthz")
            assert (health.status_code, health.json()["reasons"]) == (503, ["store_unreachable"])
        finally:
            pg_cluster.start()
        await until(jam, "/jam/healthz", 200)
        await jam.drained(timeout=10.0)
        stored = {p.id: p.status for p in await jam.svc.store.list_packages(10)}
        assert stored == dict.fromkeys(ids, "done")
        assert jam.sample("jam_package_pending_gauge", store="postgres") == 0
        assert jam.sample("jam_package_process_total", store="postgres") == 4
        assert (await jam.submit()).status_code == 202  # the cap is free again
