"""One PostgreSQL connection, used by one call at a time, every call bounded by a timeout."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict

from jamdash.service.store.base import StoreError

log = logging.getLogger("jamdash.service.store")

T = TypeVar("T")
Work = Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]]

# TCP keepalives: a peer that vanished (host down, cable cut) fails an idle connection in ~20 s.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 2}


class BoundedConnection:
    """Runs calls on one connection, opened on first use and reopened after it fails.

    A call that has not finished ``timeout`` seconds after it was made (waiting for the
    connection included) fails with StoreError, and the connection is dropped under it: a
    frozen server (SIGSTOP, a hung host) answers neither the query nor a cancel request, so
    nothing is awaited from it. ``prepare`` runs on each new connection before its first call.
    """

    def __init__(self, dsn: str, timeout: float, name: str,
                 prepare: Callable[[psycopg.AsyncConnection[Any]], Awaitable[None]] | None = None) -> None:
        self._dsn = dsn
        self._timeout = timeout
        self._name = name
        self._prepare = prepare
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._abandoned: set[asyncio.Task[Any]] = set()
        # Connection parameters the DSN leaves out: the DSN's own win.
        self._defaults: dict[str, Any] = {"connect_timeout": max(1, round(timeout)), **KEEPALIVES}

    async def run(self, work: Work[T]) -> T:
        """work(connection), within the timeout; StoreError when the server fails or does not answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        try:
            async with asyncio.timeout_at(deadline):
                await self._lock.acquire()
        except TimeoutError:
            raise self._late() from None
        try:
            task = asyncio.create_task(self._call(work))
            try:
                done, _ = await asyncio.wait({task}, timeout=max(0.0, deadline - loop.time()))
            except BaseException:  # the caller was cancelled (a client left): stop its call too
                self._abandon(task)
                raise
            if not done:
                self._abandon(task)
                raise self._late()
            return task.result()
        finally:
            self._lock.release()

    async def close(self) -> None:
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()
            self._conn = None

    def _late(self) -> StoreError:
        return StoreError(f"PostgreSQL did not answer within {self._timeout:g}s ({self._name})")

    async def _call(self, work: Work[T]) -> T:
        conn = self._conn
        try:
            if conn is None or conn.closed:
                conn = self._conn = await psycopg.AsyncConnection.connect(
                    self._dsn, autocommit=True, **self._missing_defaults())
                # The server stops what the client no longer waits for.
                await conn.execute(f"SET statement_timeout = {int(self._timeout * 1000)}")
                if self._prepare is not None:
                    await self._prepare(conn)
            return await work(conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if conn is not None:
                await conn.close()
            if self._conn is conn:  # not a newer connection, opened after this call was abandoned
                self._conn = None
            raise StoreError(f"PostgreSQL unavailable: {str(exc).strip() or type(exc).__name__}") from exc

    def _missing_defaults(self) -> dict[str, Any]:
        try:
            given = conninfo_to_dict(self._dsn)
        except psycopg.ProgrammingError as exc:
            raise StoreError(f"invalid PostgreSQL DSN: {str(exc).strip()}") from exc
        return {k: v for k, v in self._defaults.items() if k not in given}

    def _abandon(self, task: asyncio.Task[Any]) -> None:
        """Drop the connection under a call that is no longer awaited, and stop the call.

        Closing the socket first makes the call fail at once: cancelled on a live connection,
        psycopg would ask the server to cancel the query and wait seconds for a frozen one.
        """
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.pgconn.finish()
        task.cancel()
        self._abandoned.add(task)
        task.add_done_callback(self._forget)
        log.warning("PostgreSQL did not answer within %gs (%s): connection dropped", self._timeout, self._name)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._abandoned.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: it failed because its connection was dropped
