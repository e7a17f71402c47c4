"""Real HTTP clients that leave mid-body, trickle bytes or hold connections: bounded, and never a 5xx."""

from __future__ import annotations

import asyncio
import logging
import time

import anyio
import pytest
from jamservice import Harness, served

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio

SLACK = 3.0  # a busy 2-core CI machine
CONFIG = ServiceConfig(cleanup_enabled=False, head_timeout_seconds=1.0, body_timeout_seconds=1.0,
                       keep_alive_seconds=1)
HEAD = (b"POST /jam/packages HTTP/1.1\r\nHost: jam\r\nAuthorization: Bearer t\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")


async def closed_within(reader: asyncio.StreamReader, timeout: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took.

    A server closing with bytes of ours unread resets the connection rather than ending it.
    """
    started = time.monotonic()
    data = bytearray()
    with anyio.fail_after(timeout):
        try:
            while chunk := await reader.read(65536):
                data += chunk
        except ConnectionResetError:
            pass
    return bytes(data), time.monotonic() - started


def counted(jam: Harness, endpoint: str) -> dict[str, float]:
    return {c: jam.sample("jam_http_requests_total", endpoint=endpoint, code_class=c)
            for c in ("2xx", "4xx", "5xx")}


async def test_a_client_that_leaves_mid_body_is_neither_an_error_nor_counted(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with served(CONFIG) as (jam, port):
        for _ in range(3):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(HEAD + b'{"service_id": 1, "pay')
            await writer.drain()
            writer.close()
        with anyio.fail_after(10):
            while sum("left before sending" in r.getMessage() for r in caplog.records) < 3:
                await anyio.sleep(0.02)
        assert counted(jam, "package_submit") == {"2xx": 0, "4xx": 0, "5xx": 0}
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert await jam.svc.store.list_packages(10) == []
        assert (await jam.submit()).status_code == 202


async def test_a_trickled_request_head_or_silence_closes_the_connection() -> None:
    async with served(CONFIG) as (jam, port):
        slow = [await asyncio.open_connection("127.0.0.1", port) for _ in range(4)]
        silent_reader, silent_writer = await asyncio.open_connection("127.0.0.1", port)

        async def trickle(writer: asyncio.StreamWriter) -> None:
            for byte in HEAD:
                if writer.is_closing():
                    return
                writer.write(bytes([byte]))
                await anyio.sleep(0.2)

        async with anyio.create_task_group() as group:
            for _, writer in slow:
                group.start_soon(trickle, writer)
            for reader, _ in slow:
                data, took = await closed_within(reader, 1.0 + SLACK)
                assert data == b"" and took < 1.0 + SLACK
            group.cancel_scope.cancel()
        assert (await closed_within(silent_reader, 1.0 + SLACK))[0] == b""
        for _, writer in [*slow, (silent_reader, silent_writer)]:
            writer.close()
        assert (await jam.client.get("/system/status")).status_code == 200


async def test_a_trickled_body_gets_408_and_the_connection_is_closed() -> None:
    async with served(CONFIG) as (jam, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(HEAD)

        async def trickle() -> None:
            for _ in range(100):
                writer.write(b" ")
                await anyio.sleep(0.25)

        async with anyio.create_task_group() as group:
            group.start_soon(trickle)
            answer, took = await closed_within(reader, 1.0 + SLACK)
            group.cancel_scope.cancel()
        writer.close()
        assert answer.startswith(b"HTTP/1.1 408 ") and b'"body_timeout"' in answer
        assert took < 1.0 + SLACK
        assert counted(jam, "package_submit") == {"2xx": 0, "4xx": 1, "5xx": 0}


async def test_connections_past_the_limit_get_503_from_uvicorn() -> None:
    config = ServiceConfig(cleanup_enabled=False, max_connections=3, head_timeout_seconds=30.0)
    async with served(config) as (jam, port):
        held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        with anyio.fail_after(10):
            while (await jam.client.get("/system/status")).status_code != 503:
                await anyio.sleep(0.05)
        for _, writer in held:
            writer.close()
        with anyio.fail_after(10):
            while (await jam.client.get("/system/status")).status_code != 200:
                await anyio.sleep(0.05)
