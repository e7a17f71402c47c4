"""Test helpers: the JAM service in process, behind an httpx client, with its metrics at hand."""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import uvicorn
from starlette.applications import Starlette

from jamdash.service.app import create_app
from jamdash.service.state import Service
from jamdash.service.config import ServiceConfig
from jamdash.service.server import ServerConfig
from jamdash.service.store import Store

TOKEN = {"authorization": "Bearer test-token"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Harness:
    app: Starlette
    client: httpx.AsyncClient

    @property
    def svc(self) -> Service:
        svc: Service = self.app.state.jam
        return svc

    def sample(self, name: str, **labels: str) -> float:
        """A sample's value on the app's registry; 0 when it was never exported."""
        value = self.app.state.registry.get_sample_value(name, labels)
        return 0.0 if value is None else float(value)

    async def put(self, data: bytes, media_type: str = "application/octet-stream", token: bool = True,
                  hash: str | None = None) -> httpx.Response:
        headers = {"content-type": media_type, **(TOKEN if token else {})}
        return await self.client.put(f"/jam/preimages/{hash or sha(data)}", content=data, headers=headers)

    async def submit(self, token: str = "test-token", **package: Any) -> httpx.Response:
        body = {"service_id": 1, "payload": "work", **package}
        return await self.client.post("/jam/packages", json=body, headers={"authorization": f"Bearer {token}"})

    async def first_cleanup(self, timeout: float = 2.0) -> None:
        """Wait for the cleanup runner's start-up run."""
        with anyio.fail_after(timeout):
            while not self.sample("jam_cleanup_runs_total", store=self.svc.store.kind):
                await anyio.sleep(0.01)

    async def drained(self, timeout: float = 5.0) -> None:
        """Wait until the worker has processed every accepted package."""
        with anyio.fail_after(timeout):
            while await self.svc.store.pending_count():
                await anyio.sleep(0.01)


@asynccontextmanager
async def running(config: ServiceConfig | None = None, store: Store | None = None,
                  tracer_provider: Any = None) -> AsyncIterator[Harness]:
    """The app with its lifespan running (worker and cleanup started), and a client for it."""
    app = create_app(config or ServiceConfig(), store=store, tracer_provider=tracer_provider)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jam.test") as client:
            yield Harness(app, client)


@asynccontextmanager
async def served(config: ServiceConfig, store: Store | None = None) -> AsyncIterator[tuple[Harness, int]]:
    """The app on a real uvicorn (the runner's configuration) on a free loopback port; the harness and port."""
    app = create_app(config, store=store)
    listener = socket.create_server(("127.0.0.1", 0))
    port: int = listener.getsockname()[1]
    server = uvicorn.Server(ServerConfig(app, config))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        with anyio.fail_after(10):
            while not server.started:
                assert not serving.done(), "uvicorn did not start"
                await anyio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield Harness(app, client), port
    finally:
        server.should_exit = True
        await serving
        listener.close()
