"""The PostgreSQL store, on psycopg 3: one connection, reopened after the server comes back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, cast

import psycopg

from jamdash.service.config import StoreKind
from jamdash.service.store.base import (
    CleanupCounts,
    Outcome,
    Package,
    PackageDetail,
    PackageStatus,
    Preimage,
    Attestation,
    Report,
    StageName,
    StoreError,
)

SCHEMA = """
SELECT pg_advisory_xact_lock(hashtext('jam_schema'));
CREATE TABLE IF NOT EXISTS jam_preimages (
    hash text PRIMARY KEY, media_type text NOT NULL, size integer NOT NULL,
    data bytea NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS jam_preimages_created ON jam_preimages (created_at);
CREATE TABLE IF NOT EXISTS jam_packages (
    id text PRIMARY KEY, service_id bigint NOT NULL, payload text NOT NULL,
    preimages text[] NOT NULL, status text NOT NULL, fault text, error text,
    created_at timestamptz NOT NULL, finished_at timestamptz, traceparent text);
CREATE INDEX IF NOT EXISTS jam_packages_status_created ON jam_packages (status, created_at);
CREATE TABLE IF NOT EXISTS jam_attestations (
    package_id text NOT NULL REFERENCES jam_packages (id) ON DELETE CASCADE,
    guarantor integer NOT NULL, signature text NOT NULL, PRIMARY KEY (package_id, guarantor));
CREATE TABLE IF NOT EXISTS jam_reports (
    package_id text PRIMARY KEY REFERENCES jam_packages (id) ON DELETE CASCADE,
    service_id bigint NOT NULL, digest text NOT NULL, attestations integer NOT NULL,
    created_at timestamptz NOT NULL);
"""

_PACKAGE_COLUMNS = ("id, service_id, payload, preimages, status, created_at, fault, error, finished_at, "
                    "traceparent")
_UNFINISHED = "SELECT count(*) FROM jam_packages WHERE status IN ('pending', 'processing')"
_FINISHED_BEFORE = "status IN ('done', 'failed') AND created_at < %(cutoff)s"


def _package(row: Sequence[Any]) -> Package:
    return Package(id=row[0], service_id=row[1], payload=row[2], preimages=tuple(row[3]),
                   status=cast(PackageStatus, row[4]), created_at=row[5],
                   fault=cast(StageName | None, row[6]), error=row[7], finished_at=row[8],
                   traceparent=row[9])


class PostgresStore:
    """Keeps everything in PostgreSQL tables prefixed ``jam_``.

    Calls share one connection, one at a time. A lost connection fails the call in progress
    with StoreError and is reopened by the next call, so /jam/healthz recovers by itself.
    """

    kind: StoreKind = "postgres"

    def __init__(self, dsn: str, connect_timeout: float = 2.0) -> None:
        self._dsn = dsn
        self._timeout = connect_timeout
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._migrated = False

    @classmethod
    async def open(cls, dsn: str) -> PostgresStore:
        """Connect, create the tables if missing, and requeue packages a previous run left processing."""
        store = cls(dsn)
        async with store._session() as conn:
            await conn.execute("UPDATE jam_packages SET status = 'pending' WHERE status = 'processing'")
        return store

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        async with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = await psycopg.AsyncConnection.connect(
                        self._dsn, autocommit=True, connect_timeout=max(1, int(self._timeout)))
                    if not self._migrated:
                        async with self._conn.transaction():
                            await self._conn.execute(SCHEMA)
                        self._migrated = True
                yield self._conn
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if self._conn is not None:
                    await self._conn.close()
                self._conn = None
                raise StoreError(f"PostgreSQL unavailable: {str(exc).strip() or type(exc).__name__}") from exc

    async def ping(self) -> None:
        async with self._session() as conn:
            await conn.execute("SELECT 1")

    async def put_preimage(self, preimage: Preimage) -> bool:
        async with self._session() as conn:
            cur = await conn.execute(
                "INSERT INTO jam_preimages (hash, media_type, size, data, created_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (hash) DO NOTHING",
                (preimage.hash, preimage.media_type, preimage.size, preimage.data, preimage.created_at))
            return cur.rowcount == 1

    async def get_preimage(self, hash: str, with_data: bool = True) -> Preimage | None:
        data = "data" if with_data else "NULL"
        async with self._session() as conn:
            cur = await conn.execute(
                f"SELECT hash, media_type, size, created_at, {data} FROM jam_preimages WHERE hash = %s",
                (hash,))
            row = await cur.fetchone()
        if row is None:
            return None
        return Preimage(hash=row[0], media_type=row[1], size=row[2], created_at=row[3],
                        data=None if row[4] is None else bytes(row[4]))

    async def submit_package(self, package: Package, max_pending: int) -> int | None:
        async with self._session() as conn, conn.transaction():
            # One submitter at a time past this point, so concurrent submits cannot overshoot the cap.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('jam_pending'))")
            pending = await self._count(conn)
            if pending >= max_pending:
                return None
            await conn.execute(
                f"INSERT INTO jam_packages ({_PACKAGE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (package.id, package.service_id, package.payload, list(package.preimages), package.status,
                 package.created_at, package.fault, package.error, package.finished_at, package.traceparent))
            return pending + 1

    async def list_packages(self, limit: int, status: PackageStatus | None = None) -> list[Package]:
        where = "WHERE status = %(status)s" if status else ""
        async with self._session() as conn:
            cur = await conn.execute(
                f"SELECT {_PACKAGE_COLUMNS} FROM jam_packages {where} "
                "ORDER BY created_at DESC, id DESC LIMIT %(limit)s", {"status": status, "limit": limit})
            return [_package(row) for row in await cur.fetchall()]

    async def get_package(self, package_id: str) -> PackageDetail | None:
        async with self._session() as conn:
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

    async def claim_pending(self) -> Package | None:
        async with self._session() as conn:
            cur = await conn.execute(
                f"UPDATE jam_packages SET status = 'processing' WHERE id = ("
                "SELECT id FROM jam_packages WHERE status = 'pending' ORDER BY created_at, id "
                f"LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {_PACKAGE_COLUMNS}")
            row = await cur.fetchone()
        return None if row is None else _package(row)

    async def finish_package(self, package_id: str, outcome: Outcome) -> int:
        async with self._session() as conn, conn.transaction():
            cur = await conn.execute(
                "UPDATE jam_packages SET status = %s, error = %s, finished_at = %s "
                "WHERE id = %s AND status IN ('pending', 'processing')",
                (outcome.status, outcome.error, outcome.finished_at, package_id))
            if cur.rowcount == 1:
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
            return await self._count(conn)

    async def pending_count(self) -> int:
        async with self._session() as conn:
            return await self._count(conn)

    async def cleanup(self, cutoff: datetime) -> CleanupCounts:
        args = {"cutoff": cutoff}
        async with self._session() as conn, conn.transaction():
            reports = await conn.execute(
                "DELETE FROM jam_reports WHERE created_at < %(cutoff)s OR package_id IN ("
                f"SELECT id FROM jam_packages WHERE {_FINISHED_BEFORE})", args)
            packages = await conn.execute(f"DELETE FROM jam_packages WHERE {_FINISHED_BEFORE}", args)
            preimages = await conn.execute("DELETE FROM jam_preimages WHERE created_at < %(cutoff)s", args)
            return CleanupCounts(packages=packages.rowcount, reports=reports.rowcount,
                                 preimages=preimages.rowcount)

    async def close(self) -> None:
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()
            self._conn = None

    @staticmethod
    async def _count(conn: psycopg.AsyncConnection[Any]) -> int:
        cur = await conn.execute(_UNFINISHED)
        row = await cur.fetchone()
        return int(row[0]) if row else 0
