"""The PostgreSQL store, on psycopg 3: bounded calls on one connection, and another for health."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

import psycopg

from jamdash.service.config import StoreKind
from jamdash.service.store.base import (
    EXHAUSTED_ERROR,
    CleanupCounts,
    Cursor,
    Expired,
    Finished,
    Outcome,
    Package,
    PackageDetail,
    PackageStatus,
    Preimage,
    Attestation,
    Report,
    StageName,
)
from jamdash.service.store.connection import BoundedConnection

# The schema, one statement per object: (object, statement); an object is a table or an index, or
# "table.column" for a column added to an existing table. Its tables' order is TABLES'.
SCHEMA = (
    ("jam_preimages", "CREATE TABLE IF NOT EXISTS jam_preimages ("
                      "hash text PRIMARY KEY, media_type text NOT NULL, size integer NOT NULL, "
                      "data bytea NOT NULL, created_at timestamptz NOT NULL)"),
    ("jam_preimages_created", "CREATE INDEX IF NOT EXISTS jam_preimages_created ON jam_preimages (created_at)"),
    ("jam_packages", "CREATE TABLE IF NOT EXISTS jam_packages ("
                     "id text PRIMARY KEY, service_id bigint NOT NULL, payload text NOT NULL, "
                     "preimages text[] NOT NULL, status text NOT NULL, fault text, error text, "
                     "created_at timestamptz NOT NULL, finished_at timestamptz, traceparent text)"),
    ("jam_packages.claimed_at", "ALTER TABLE jam_packages ADD COLUMN IF NOT EXISTS claimed_at timestamptz"),
    ("jam_packages.attempts",
     "ALTER TABLE jam_packages ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0"),
    ("jam_packages_status_created",
     "CREATE INDEX IF NOT EXISTS jam_packages_status_created ON jam_packages (status, created_at)"),
    ("jam_attestations", "CREATE TABLE IF NOT EXISTS jam_attestations ("
                         "package_id text NOT NULL REFERENCES jam_packages (id) ON DELETE CASCADE, "
                         "guarantor integer NOT NULL, signature text NOT NULL, PRIMARY KEY (package_id, guarantor))"),
    ("jam_reports", "CREATE TABLE IF NOT EXISTS jam_reports ("
                    "package_id text PRIMARY KEY REFERENCES jam_packages (id) ON DELETE CASCADE, "
                    "service_id bigint NOT NULL, digest text NOT NULL, attestations integer NOT NULL, "
                    "created_at timestamptz NOT NULL)"),
)
# The tables in the one order every transaction that touches several of them locks them in (a subset,
# in this order): two transactions locking two tables in opposite orders can deadlock each other.
TABLES = tuple(name for name, statement in SCHEMA if statement.startswith("CREATE TABLE"))
# Which of the objects are missing, from the catalog alone: it takes no lock on any table.
_MISSING = """
SELECT name FROM unnest(%s::text[]) AS name
WHERE CASE WHEN strpos(name, '.') = 0 THEN to_regclass(name) IS NULL
           ELSE NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(split_part(name, '.', 1))
                            AND attname = split_part(name, '.', 2) AND NOT attisdropped) END"""
# Replicas set the schema up one at a time (the key is the one earlier versions used).
_SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('jam_schema'))"

_PACKAGE_COLUMNS = ("id, service_id, payload, preimages, status, created_at, fault, error, finished_at, "
                    "traceparent, attempts")
_UNFINISHED = "SELECT count(*) FROM jam_packages WHERE status IN ('pending', 'processing')"
_FINISHED_BEFORE = "status IN ('done', 'failed') AND created_at < %(cutoff)s"
_EXPIRED = "status = 'processing' AND claimed_at < now() - make_interval(secs => %(lease)s)"


def _package(row: Sequence[Any]) -> Package:
    return Package(id=row[0], service_id=row[1], payload=row[2], preimages=tuple(row[3]),
                   status=cast(PackageStatus, row[4]), created_at=row[5],
                   fault=cast(StageName | None, row[6]), error=row[7], finished_at=row[8],
                   traceparent=row[9], attempts=row[10])


class PostgresStore:
    """Keeps everything in PostgreSQL tables prefixed ``jam_``.

    Calls share one connection, one at a time, each bounded by ``timeout`` seconds (waiting
    for the connection included); a lost or frozen connection fails the call with StoreError
    and is reopened by the next call. ``ping`` has its own connection and a shorter bound,
    so /jam/healthz answers while other calls wait, and recovers by itself.
    """

    kind: StoreKind = "postgres"

    def __init__(self, dsn: str, timeout: float = 5.0, ping_timeout: float = 1.0) -> None:
        self._migrated = False
        self._main = BoundedConnection(dsn, timeout, "store", prepare=self._migrate)
        self._health = BoundedConnection(dsn, ping_timeout, "health")

    @classmethod
    async def open(cls, dsn: str, timeout: float = 5.0, ping_timeout: float = 1.0) -> PostgresStore:
        """Connect, create the tables if missing, and start the lease of claims that have none.

        Opening takes no package from anyone: a ``processing`` package may be another replica's work
        in progress, so only ``requeue_expired`` puts one back, once its lease has expired (that also
        returns the packages of a replica that crashed). A claim made before the lease existed has no
        ``claimed_at``; its lease starts now, or it would stay ``processing`` for ever.
        """
        store = cls(dsn, timeout, ping_timeout)
        await store._main.run(lambda conn: conn.execute(
            "UPDATE jam_packages SET claimed_at = now() WHERE status = 'processing' AND claimed_at IS NULL"))
        return store

    async def _migrate(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Create what the schema misses; with nothing missing, lock no table at all.

        DDL locks its table strongly (CREATE INDEX IF NOT EXISTS takes a share lock, ALTER TABLE an
        exclusive one, even when the object exists), so it runs only when the catalog says an object
        is missing, after locking every existing table in TABLES order, as the other transactions do.
        """
        if self._migrated:
            return
        async with conn.transaction():
            await conn.execute(_SCHEMA_LOCK)
            cur = await conn.execute(_MISSING, ([name for name, _ in SCHEMA],))
            missing = {row[0] for row in await cur.fetchall()}
            if missing:
                existing = [t for t in TABLES if t not in missing]
                if existing:
                    await conn.execute(f"LOCK TABLE {', '.join(existing)} IN ACCESS EXCLUSIVE MODE")
                for name, statement in SCHEMA:
                    if name in missing:
                        await conn.execute(statement)
        self._migrated = True

    async def ping(self) -> None:
        await self._health.run(lambda conn: conn.execute("SELECT 1"))

    async def put_preimage(self, preimage: Preimage) -> bool:
        async def work(conn: psycopg.AsyncConnection[Any]) -> bool:
            cur = await conn.execute(
                "INSERT INTO jam_preimages (hash, media_type, size, data, created_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (hash) DO NOTHING",
                (preimage.hash, preimage.media_type, preimage.size, preimage.data, preimage.created_at))
            return cur.rowcount == 1

        return await self._main.run(work)

    async def get_preimage(self, hash: str, with_data: bool = True) -> Preimage | None:
        data = "data" if with_data else "NULL"

        async def work(conn: psycopg.AsyncConnection[Any]) -> Sequence[Any] | None:
            cur = await conn.execute(
                f"SELECT hash, media_type, size, created_at, {data} FROM jam_preimages WHERE hash = %s",
                (hash,))
            return await cur.fetchone()

        row = await self._main.run(work)
        if row is None:
            return None
        return Preimage(hash=row[0], media_type=row[1], size=row[2], created_at=row[3],
                        data=None if row[4] is None else bytes(row[4]))

    async def submit_package(self, package: Package, max_pending: int) -> int | None:
        async def work(conn: psycopg.AsyncConnection[Any]) -> int | None:
            async with conn.transaction():
                # One submitter at a time past this point, so concurrent submits cannot overshoot the cap.
                await conn.execute("SELECT pg_advisory_xact_lock(hashtext('jam_pending'))")
                pending = await self._count(conn)
                if pending >= max_pending:
                    return None
                await conn.execute(
                    f"INSERT INTO jam_packages ({_PACKAGE_COLUMNS}) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (package.id, package.service_id, package.payload, list(package.preimages), package.status,
                     package.created_at, package.fault, package.error, package.finished_at, package.traceparent,
                     package.attempts))
                return pending + 1

        return await self._main.run(work)

    async def list_packages(self, limit: int, status: PackageStatus | None = None,
                            after: Cursor | None = None) -> list[Package]:
        where = ["status = %(status)s"] if status else []
        if after is not None:
            where.append("(created_at, id) < (%(at)s, %(id)s)")
        args = {"status": status, "limit": limit, "at": after and after.created_at, "id": after and after.id}
        query = (f"SELECT {_PACKAGE_COLUMNS} FROM jam_packages {'WHERE ' if where else ''}{' AND '.join(where)} "
                 "ORDER BY created_at DESC, id DESC LIMIT %(limit)s")

        async def work(conn: psycopg.AsyncConnection[Any]) -> list[Package]:
            cur = await conn.execute(query, args)
            return [_package(row) for row in await cur.fetchall()]

        return await self._main.run(work)

    async def get_package(self, package_id: str) -> PackageDetail | None:
        async def work(conn: psycopg.AsyncConnection[Any]) -> PackageDetail | None:
            cur = await conn.execute(f"SELECT {_PACKAGE_COLUMNS} FROM jam_packages WHERE id = %s", (package_id,))
            row = await cur.fetchone()
            if row is None:
                return None
            cur = await conn.execute("SELECT package_id, guarantor, signature FROM jam_attestations "
                                     "WHERE package_id = %s ORDER BY guarantor", (package_id,))
            attestations = tuple(Attestation(*a) for a in await cur.fetchall())
            cur = await conn.execute("SELECT package_id, service_id, digest, attestations, created_at "
                                     "FROM jam_reports WHERE package_id = %s", (package_id,))
            report = await cur.fetchone()
            return PackageDetail(_package(row), attestations, None if report is None else Report(*report))

        return await self._main.run(work)

    async def claim_pending(self) -> Package | None:
        async def work(conn: psycopg.AsyncConnection[Any]) -> Sequence[Any] | None:
            cur = await conn.execute(
                "UPDATE jam_packages SET status = 'processing', claimed_at = now(), attempts = attempts + 1 "
                "WHERE id = ("
                "SELECT id FROM jam_packages WHERE status = 'pending' ORDER BY created_at, id "
                f"LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {_PACKAGE_COLUMNS}")
            return await cur.fetchone()

        row = await self._main.run(work)
        return None if row is None else _package(row)

    async def requeue_expired(self, lease_seconds: float, max_attempts: int) -> Expired:
        # now() is the transaction's start: both statements see the same expired claims.
        args = {"lease": lease_seconds, "max": max_attempts, "error": EXHAUSTED_ERROR.replace("{}", "%s")}

        async def work(conn: psycopg.AsyncConnection[Any]) -> Expired:
            async with conn.transaction():
                cur = await conn.execute(
                    "UPDATE jam_packages SET status = 'failed', error = format(%(error)s, attempts), "
                    f"finished_at = now() WHERE {_EXPIRED} AND attempts >= %(max)s RETURNING {_PACKAGE_COLUMNS}",
                    args)
                exhausted = sorted((_package(row) for row in await cur.fetchall()), key=lambda p: (p.created_at, p.id))
                cur = await conn.execute(
                    f"UPDATE jam_packages SET status = 'pending', claimed_at = NULL WHERE {_EXPIRED}", args)
                return Expired(cur.rowcount, tuple(exhausted))

        return await self._main.run(work)

    async def finish_package(self, package_id: str, outcome: Outcome) -> Finished:
        async def work(conn: psycopg.AsyncConnection[Any]) -> Finished:
            async with conn.transaction():
                cur = await conn.execute(
                    "UPDATE jam_packages SET status = %s, error = %s, finished_at = %s "
                    "WHERE id = %s AND status IN ('pending', 'processing')",
                    (outcome.status, outcome.error, outcome.finished_at, package_id))
                recorded = cur.rowcount == 1
                if recorded:
                    async with conn.cursor() as many:
                        await many.executemany(
                            "INSERT INTO jam_attestations (package_id, guarantor, signature) VALUES (%s, %s, %s)",
                            [(a.package_id, a.guarantor, a.signature) for a in outcome.attestations])
                    if outcome.report is not None:
                        r = outcome.report
                        await conn.execute(
                            "INSERT INTO jam_reports (package_id, service_id, digest, attestations, created_at) "
                            "VALUES (%s, %s, %s, %s, %s)",
                            (r.package_id, r.service_id, r.digest, r.attestations, r.created_at))
                return Finished(recorded, await self._count(conn))

        return await self._main.run(work)

    async def pending_count(self) -> int:
        return await self._main.run(self._count)

    async def cleanup(self, cutoff: datetime) -> CleanupCounts:
        args = {"cutoff": cutoff}

        async def work(conn: psycopg.AsyncConnection[Any]) -> CleanupCounts:
            async with conn.transaction():
                # One replica's cleanup at a time: each statement has its own snapshot, so two runs can
                # pick different rows (a package finished in between) and lock them in opposite orders.
                await conn.execute("SELECT pg_advisory_xact_lock(hashtext('jam_cleanup'))")
                # Every table the statements below lock (cascades included), in TABLES order, up front.
                await conn.execute(f"LOCK TABLE {', '.join(TABLES)} IN ROW EXCLUSIVE MODE")
                reports = await conn.execute(
                    "DELETE FROM jam_reports WHERE created_at < %(cutoff)s OR package_id IN ("
                    f"SELECT id FROM jam_packages WHERE {_FINISHED_BEFORE})", args)
                packages = await conn.execute(f"DELETE FROM jam_packages WHERE {_FINISHED_BEFORE}", args)
                preimages = await conn.execute("DELETE FROM jam_preimages WHERE created_at < %(cutoff)s", args)
                return CleanupCounts(packages=packages.rowcount, reports=reports.rowcount,
                                     preimages=preimages.rowcount)

        return await self._main.run(work)

    async def close(self) -> None:
        await self._main.close()
        await self._health.close()

    @staticmethod
    async def _count(conn: psycopg.AsyncConnection[Any]) -> int:
        cur = await conn.execute(_UNFINISHED)
        row = await cur.fetchone()
        return int(row[0]) if row else 0
