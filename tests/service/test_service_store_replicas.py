"""Replicas of the PostgreSQL store on one database: they start together while others run cleanups, and
take no package another holds within its lease."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import anyio
import psycopg
import pytest

from jamdash.service.store.base import Expired, Finished, Outcome, Package
from jamdash.service.store.postgres import PostgresStore

pytestmark = pytest.mark.anyio

ROUNDS = 4
REPLICAS = 4
CUTOFF = datetime(2000, 1, 1, tzinfo=UTC)  # deletes nothing: every run does the same work
LEASE = 3.0  # seconds: wide against the few store calls made while a claim must be live, and all we wait
ATTEMPTS = 3  # ServiceConfig's default max_processing_attempts

# Unfinished packages, each with a report: a cleanup run's first statement scans the reports while it
# holds its lock on jam_packages, which keeps it there for milliseconds rather than microseconds.
_FILL = """
INSERT INTO jam_packages (id, service_id, payload, preimages, status, created_at)
    SELECT g::text, 1, 'p', '{}', 'pending', now() FROM generate_series(1, 5000) g;
INSERT INTO jam_reports (package_id, service_id, digest, attestations, created_at)
    SELECT g::text, 1, 'd', 1, now() FROM generate_series(1, 5000) g;
"""


async def test_replicas_start_together_while_other_replicas_run_cleanups(pg_dsn: str) -> None:
    """REPLICAS stores open at once while two running replicas clean up in a loop. Every other round part
    of the schema is missing (as after an upgrade): one creates it, the others find it. A start-up that
    locked the tables in another order than the cleanup deadlocked here in the first round."""
    dsn = f"{pg_dsn} options='-c deadlock_timeout=20ms'"  # a deadlock fails at once, not after 1 s
    running = [await PostgresStore.open(dsn) for _ in range(2)]
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(_FILL)
        admin.execute("ANALYZE")
        cleanups = 0
        try:
            for round_ in range(ROUNDS):
                if round_ % 2 == 0:  # else the schema is all there, as when replicas of one version start
                    admin.execute("DROP INDEX jam_preimages_created; "
                                  "ALTER TABLE jam_packages DROP COLUMN claimed_at, DROP COLUMN attempts")
                starting: list[PostgresStore] = []
                stop = anyio.Event()

                async def clean(store: PostgresStore) -> None:
                    nonlocal cleanups
                    while not stop.is_set():
                        await store.cleanup(CUTOFF)
                        cleanups += 1

                async def start() -> None:
                    starting.append(await PostgresStore.open(dsn))

                async with anyio.create_task_group() as cleaning:
                    for store in running:
                        cleaning.start_soon(clean, store)
                    async with anyio.create_task_group() as replicas:
                        for _ in range(REPLICAS):
                            replicas.start_soon(start)
                    stop.set()
                for store in starting:
                    assert await store.pending_count() == 5000
                    await store.close()
            columns = admin.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'jam_packages'::regclass "
                                    "AND attname IN ('claimed_at', 'attempts') AND NOT attisdropped").fetchone()
            index = admin.execute("SELECT to_regclass('jam_preimages_created') IS NOT NULL").fetchone()
            assert (columns, index) == ((2,), (True,))
            assert cleanups >= ROUNDS, "the cleanups should have run while the replicas started"
        finally:
            for store in running:
                await store.close()


async def test_replicas_create_the_schema_together_on_an_empty_database(pg_dsn: str) -> None:
    stores: list[PostgresStore] = []

    async def start() -> None:
        stores.append(await PostgresStore.open(pg_dsn))

    async with anyio.create_task_group() as replicas:
        for _ in range(REPLICAS):
            replicas.start_soon(start)
    try:
        for store in stores:
            await store.cleanup(CUTOFF)
            assert await store.pending_count() == 0
    finally:
        for store in stores:
            await store.close()


def _package(n: int) -> Package:
    return Package(id=f"{n:032x}", service_id=n, payload=f"p{n}", preimages=(), status="pending",
                   created_at=datetime(2030, 1, 1, second=n, tzinfo=UTC))


async def _requeued(store: PostgresStore, lease: float) -> int:
    """Wait until the store puts back packages whose lease expired; how many it put back."""
    with anyio.fail_after(lease + 30):
        while not (requeued := (await store.requeue_expired(lease, ATTEMPTS)).requeued):
            await anyio.sleep(0.05)
    return requeued


async def test_a_replica_that_opens_takes_no_package_another_holds_until_its_lease_expires(pg_dsn: str) -> None:
    """Replica a holds two packages when replica b opens on the same database: both stay a's. a records the
    first; a crashes holding the second, which b takes once the lease has expired. Opening a store used to
    put every processing package back to pending, and b processed a's work again."""
    async with contextlib.AsyncExitStack() as stores:
        a = await PostgresStore.open(pg_dsn)
        stores.push_async_callback(a.close)
        for n in (1, 2):
            await a.submit_package(_package(n), max_pending=10)
        first, second = [await a.claim_pending() for _ in range(2)]
        assert first is not None and second is not None
        b = await PostgresStore.open(pg_dsn)
        stores.push_async_callback(b.close)
        assert [p.status for p in await b.list_packages(10)] == ["processing", "processing"]
        assert await b.claim_pending() is None
        assert await b.requeue_expired(LEASE, ATTEMPTS) == Expired(0)
        assert await a.finish_package(first.id, Outcome("done", CUTOFF)) == Finished(True, 1)
        await a.close()  # the crash: a never records the second package
        assert await _requeued(b, LEASE) == 1
        again = await b.claim_pending()
        assert again is not None and again.id == second.id
        assert await b.finish_package(again.id, Outcome("done", CUTOFF)) == Finished(True, 0)
        assert [p.status for p in await b.list_packages(10)] == ["done", "done"]


async def test_a_claim_made_before_the_lease_existed_gets_one_when_a_store_opens(pg_dsn: str) -> None:
    """A package left processing by a version without claimed_at: opening leaves it processing, with a lease
    from now, and it goes back to pending once that lease has expired (it used to be requeued at start-up)."""
    await (await PostgresStore.open(pg_dsn)).close()  # creates the schema
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute("INSERT INTO jam_packages (id, service_id, payload, preimages, status, created_at) "
                      "VALUES ('old', 1, 'p', '{}', 'processing', now())")
        store = await PostgresStore.open(pg_dsn)
        try:
            assert admin.execute("SELECT status, claimed_at IS NOT NULL FROM jam_packages").fetchall() == [
                ("processing", True)]
            assert await store.requeue_expired(LEASE, ATTEMPTS) == Expired(0)
            assert await _requeued(store, 0.01) == 1
            again = await store.claim_pending()
            assert again is not None and again.id == "old"
        finally:
            await store.close()


async def test_a_database_without_attempts_is_upgraded_by_a_starting_replica(pg_dsn: str) -> None:
    """A database of the version before the attempt limit: a starting replica adds the attempts column, 0 for
    every package, and claims count from there; a package that version left processing is not failed when
    its lease expires (it has used none of its attempts) but on the expiry of its last one."""
    await (await PostgresStore.open(pg_dsn)).close()  # creates the schema
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute("ALTER TABLE jam_packages DROP COLUMN attempts")
        admin.execute("INSERT INTO jam_packages (id, service_id, payload, preimages, status, created_at, claimed_at) "
                      "VALUES ('old', 1, 'p', '{}', 'processing', now(), now())")
        store = await PostgresStore.open(pg_dsn)
        try:
            assert admin.execute("SELECT id, status, attempts FROM jam_packages").fetchall() == [
                ("old", "processing", 0)]
            assert await _requeued(store, 0.01) == 1
            again = await store.claim_pending()
            assert again is not None and (again.id, again.attempts) == ("old", 1)
            with anyio.fail_after(30):
                while not (expired := await store.requeue_expired(0.01, max_attempts=1)).exhausted:
                    await anyio.sleep(0.05)
            assert [(p.id, p.status, p.attempts) for p in expired.exhausted] == [("old", "failed", 1)]
            assert admin.execute("SELECT status, attempts, error LIKE 'attempts_exhausted: %' "
                                 "FROM jam_packages").fetchall() == [("failed", 1, True)]
        finally:
            await store.close()
