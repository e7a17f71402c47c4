"""uvicorn for the service: bounded request heads, idle connections and concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from jamdash.service.config import ServiceConfig


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration with the service's limits (docs/service.md, "Limits and timeouts").

    ``timeout_keep_alive`` closes idle connections and ``limit_concurrency`` answers 503 past
    ``max_connections``; ``head_timeout`` is read by HeadTimeoutProtocol. Bodies are bounded
    by the app itself (``body_timeout_seconds``, in http.read_capped).
    """

    def __init__(self, app: Any, service: ServiceConfig, **options: Any) -> None:
        super().__init__(app, http=HeadTimeoutProtocol, timeout_keep_alive=service.keep_alive_seconds,
                         limit_concurrency=service.max_connections, log_level="warning", access_log=False,
                         lifespan="on", **options)
        self.head_timeout = service.head_timeout_seconds


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline on each request's line and headers.

    uvicorn closes a keep-alive connection that stays idle, but not one that opened and sent
    nothing, nor a client trickling its headers a byte at a time (slowloris). Here a request
    head that is not complete ``head_timeout`` seconds after the connection opened, or after
    the first byte of a later request, closes the connection.
    """

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:  # a request head has begun and is not complete
            if self._head_timer is None:
                self._arm()
        elif self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def _arm(self) -> None:
        timeout: float = getattr(self.config, "head_timeout", 10.0)
        self._head_timer = self.loop.call_later(timeout, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
