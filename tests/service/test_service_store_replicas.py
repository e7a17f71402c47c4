"""Replicas of the PostgreSQL store start together on one database while others run cleanups."""

from __future__ import annotations

from datetime import UTC, datetime

import anyio
import psycopg
import pytest

from jamdash.service.store.postgres import PostgresStore

pytestmark = pytest.mark.anyio

ROUNDS = 4
REPLICAS = 4
CUTOFF = datetime(2000, 1, 1, tzinfo=UTC)  # deletes nothing: every run does the same work

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
                    admin.execute("DROP INDEX jam_preimages_created; ALTER TABLE jam_packages DROP COLUMN claimed_at")
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
                                    "AND attname = 'claimed_at' AND NOT attisdropped").fetchone()
            index = admin.execute("SELECT to_regclass('jam_preimages_created') IS NOT NULL").fetchone()
            assert (columns, index) == ((1,), (True,))
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
