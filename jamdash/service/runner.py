"""Runs the service on uvicorn with its traffic generator and a fault switch; stops cleanly on a signal."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jamdash.service.app import create_app
from jamdash.service.state import Service
from jamdash.service.config import ServiceConfig
from jamdash.service.faults import FaultSwitch, parse_faults
from jamdash.service.http import error_response
from jamdash.service.server import ServerConfig
from jamdash.service.store import open_store
from jamdash.service.traffic import TrafficGenerator

FAULTS_PATH = "/demo/faults"


@dataclass(frozen=True)
class RunOptions:
    """Where to listen, which faults to start with, and the traffic's bounds."""

    host: str = "127.0.0.1"
    port: int = 8080
    faults: frozenset[str] = frozenset()
    traffic: bool = True
    duration: float | None = 1800.0
    max_requests: int | None = 200_000


class _Server(uvicorn.Server):
    """uvicorn's server, minus re-raising the signal that stopped it: a Ctrl-C ends the run normally."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True


async def _faults(request: Request) -> Response:
    """GET: the active faults; POST a comma-separated list or a JSON array to switch them."""
    switch: FaultSwitch = request.app.state.faults
    if request.method == "POST":
        try:
            faults = parse_faults((await request.body()).decode())
        except (ValueError, UnicodeDecodeError) as exc:
            return error_response(400, "unknown_fault", str(exc))
        svc: Service = request.app.state.jam
        switch.apply(svc, faults)
    return JSONResponse(sorted(switch.faults))


async def serve(config: ServiceConfig, options: RunOptions, on_ready: Callable[[str], None] = lambda url: None,
                on_traffic_end: Callable[[TrafficGenerator], None] = lambda traffic: None) -> None:
    """Serve until SIGINT or SIGTERM; on_ready gets the base URL once the service answers.

    Raises StoreError when the store cannot be opened and OSError when the address cannot be
    bound, before anything is served.
    """
    listener = socket.create_server((options.host, options.port))
    store = await open_store(config)
    try:
        switch = FaultSwitch(options.faults)
        app = create_app(config, store=store, routes=[Route(FAULTS_PATH, _faults, methods=["GET", "POST"])])
        app.state.faults = switch
        server = _Server(ServerConfig(app, config))
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        while not server.started:
            if serving.done():
                raise RuntimeError("the service did not start; see the messages above")
            await asyncio.sleep(0.05)
        # Requests are served from here on, so /demo/faults may already have switched them.
        switch.apply(app.state.jam, switch.faults)
        url = f"http://{options.host}:{listener.getsockname()[1]}"
        on_ready(url)
        traffic = None
        if options.traffic:
            generator = TrafficGenerator(url, switch, duration=options.duration, max_requests=options.max_requests)

            async def run_traffic() -> None:
                await generator.run(stop=lambda: server.should_exit)
                on_traffic_end(generator)

            traffic = asyncio.create_task(run_traffic())
        try:
            await serving
        finally:
            if traffic is not None:
                traffic.cancel()
                await asyncio.gather(traffic, return_exceptions=True)
    finally:
        listener.close()
        await store.close()
