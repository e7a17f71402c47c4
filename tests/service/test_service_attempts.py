"""The attempt limit: a package whose lease expires on each of its attempts (it crashes the replica that
claims it) ends failed, attempts_exhausted, through the path of every failed package; one with attempts
left goes back to pending. With the memory store and a real PostgreSQL shared by replicas."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import anyio
import pytest
from jamservice import Harness, running
from pg import PostgresServer

from jamdash.service.config import ServiceConfig
from jamdash.service.store import Store
from jamdash.service.store.memory import MemoryStore
from jamdash.service.store.postgres import PostgresStore

pytestmark = pytest.mark.anyio

# A lease wide against one trivial package's processing on a busy machine, short enough to wait for.
CONFIG = ServiceConfig(cleanup_enabled=False, workers=1, processing_lease_seconds=0.5, max_processing_attempts=3)


@dataclass
class Fleet:
    """The service's configuration and store, and another replica that claims a package and crashes holding it."""

    config: ServiceConfig
    store: Store
    crash: Callable[[], Awaitable[str | None]]


@pytest.fixture(params=["memory", "postgres"])
async def fleet(request: pytest.FixtureRequest) -> AsyncIterator[Fleet]:
    if request.param == "memory":  # one process: the replica that crashes is a worker of the service's own
        memory = MemoryStore()

        async def claim_in_process() -> str | None:
            claimed = await memory.claim_pending()
            return None if claimed is None else claimed.id

        yield Fleet(CONFIG, memory, claim_in_process)
        await memory.close()
        return
    cluster: PostgresServer = request.getfixturevalue("pg_cluster")
    dsn = cluster.create_database()
    shared = await PostgresStore.open(dsn)

    async def claim_and_crash() -> str | None:
        replica = await PostgresStore.open(dsn)
        try:
            claimed = await replica.claim_pending()
        finally:
            await replica.close()  # the crash: it never records the package
        return None if claimed is None else claimed.id

    yield Fleet(replace(CONFIG, store="postgres", dsn=dsn), shared, claim_and_crash)
    await shared.close()


async def _package(jam: Harness, package_id: str) -> dict[str, Any]:
    answer = await jam.client.get(f"/jam/packages/{package_id}")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


async def _settled(jam: Harness, package_id: str) -> dict[str, Any]:
    """The package once its claim's lease has expired and the service acted on it: no longer processing."""
    with anyio.fail_after(30):
        while (package := await _package(jam, package_id))["status"] == "processing":
            await anyio.sleep(0.05)
    return package


async def _crashed_on(jam: Harness, fleet: Fleet, package_id: str) -> dict[str, Any]:
    """Another replica claims the package and crashes holding it; the package once its lease has expired."""
    assert await fleet.crash() == package_id
    return await _settled(jam, package_id)


async def test_a_package_that_crashes_each_replica_fails_after_its_last_attempt(
        fleet: Fleet, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="jam")
    kind = fleet.store.kind
    async with running(fleet.config, store=fleet.store) as jam:
        jam.svc.worker.active = 0  # this replica claims nothing: the others do, and crash
        package_id = (await jam.submit()).json()["id"]
        for attempt in (1, 2):
            package = await _crashed_on(jam, fleet, package_id)
            assert (package["status"], package["attempts"], package["error"]) == ("pending", attempt, None)
        package = await _crashed_on(jam, fleet, package_id)
        assert (package["status"], package["attempts"]) == ("failed", 3)
        assert package["error"] == ("attempts_exhausted: the processing lease expired on each of its 3 attempts; "
                                    "the package may crash or stall the replica that processes it")
        assert package["finished_at"] is not None and package["report"] is None
        assert await fleet.crash() is None  # no replica gets it again
        with anyio.fail_after(10):  # the replica that failed it reports it once the store has answered
            while not jam.sample("jam_package_process_fail_total", store=kind, stage="attempts_exhausted"):
                await anyio.sleep(0.02)
        assert jam.sample("jam_package_process_fail_total", store=kind, stage="attempts_exhausted") == 1
        assert jam.sample("jam_package_process_total", store=kind) == 1
        assert jam.sample("jam_package_process_duration_seconds_count", store=kind) == 0  # no duration measured
        assert jam.sample("jam_package_pending_gauge", store=kind) == 0
        listed = (await jam.client.get("/jam/packages?status=failed")).json()["packages"]
        assert [(p["id"], p["attempts"]) for p in listed] == [(package_id, 3)]

        jam.svc.worker.active = 1  # the replica still processes the others
        other = (await jam.submit()).json()["id"]
        await jam.drained(timeout=30)
        assert (await _package(jam, other))["status"] == "done"
    processed = [json.loads(r.getMessage()) for r in caplog.records if r.name == "jam"]
    event = next(e for e in processed if e.get("event") == "package_process")
    assert (event["pkg_id"], event["store"], event["duration_ms"]) == (package_id, kind, None)
    assert event["error"] == package["error"]


async def test_a_package_with_attempts_left_goes_back_to_pending_and_is_processed(fleet: Fleet) -> None:
    kind = fleet.store.kind
    async with running(fleet.config, store=fleet.store) as jam:
        jam.svc.worker.active = 0
        package_id = (await jam.submit()).json()["id"]
        package = await _crashed_on(jam, fleet, package_id)
        assert (package["status"], package["attempts"]) == ("pending", 1)
        jam.svc.worker.active = 1
        await jam.drained(timeout=30)
        package = await _package(jam, package_id)
        # Two attempts left when this replica claimed it: even a lease expiring under load leaves one.
        assert package["status"] == "done" and package["attempts"] in (2, 3)
        assert jam.sample("jam_package_process_fail_total", store=kind, stage="attempts_exhausted") == 0
        assert jam.sample("jam_package_process_total", store=kind) == 1


@pytest.mark.parametrize("value", [0, -1])
def test_the_attempt_limit_is_at_least_one(value: int) -> None:
    with pytest.raises(ValueError, match="max_processing_attempts must be at least 1"):
        ServiceConfig(max_processing_attempts=value)
