"""The Starlette app: routes, and a lifespan that opens the store and runs the worker and cleanup."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from jamdash.service import packages, preimages, system
from jamdash.service.cleanup import CleanupRunner
from jamdash.service.config import ServiceConfig
from jamdash.service.generated import CLEANUP_INTERVAL_SECONDS, JamMetrics, Telemetry
from jamdash.service.http import error_response
from jamdash.service.ratelimit import RateLimiter
from jamdash.service.state import Service
from jamdash.service.store import Store, open_store
from jamdash.service.worker import Worker


ROUTES = [
    Route("/jam/preimages/{hash}", preimages.put, methods=["PUT"], name="preimage_put"),
    Route("/jam/preimages/{hash}", preimages.get_or_head, methods=["GET", "HEAD"], name="preimage_get"),
    Route("/jam/packages", packages.submit, methods=["POST"], name="package_submit"),
    Route("/jam/packages", packages.list_, methods=["GET"], name="package_list"),
    Route("/jam/packages/{id}", packages.get, methods=["GET"], name="package_get"),
    Route("/system/status", system.status, methods=["GET"], name="status"),
    Route("/jam/healthz", system.healthz, methods=["GET"], name="healthz"),
    Route("/metrics", system.metrics, methods=["GET"], name="metrics"),
]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(exc.status_code, reason, f"{request.method} {request.url.path}: {exc.detail}")


def create_app(config: ServiceConfig | None = None, registry: CollectorRegistry | None = None,
               store: Store | None = None, tracer_provider: Any = None,
               routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The JAM service; its metrics go on ``registry`` (a new one by default).

    ``store`` replaces the one the configuration names (tests); the app then leaves it open.
    ``tracer_provider`` is OpenTelemetry's (default: its global one) when tracing is on.
    ``routes`` are added to the service's own (the demo's fault switch).
    """
    config = config or ServiceConfig()
    if config.cleanup_enabled and config.cleanup_interval_seconds > CLEANUP_INTERVAL_SECONDS:
        raise ValueError(f"cleanup_interval_seconds is {config.cleanup_interval_seconds:g}; /jam/healthz expects "
                         f"a run at least every {CLEANUP_INTERVAL_SECONDS}s (the spec's health interval)")
    registry = registry if registry is not None else CollectorRegistry()
    metrics = JamMetrics(registry)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = store if store is not None else await open_store(config)
        # Telemetry also sets the jam_config_* gauges from the configuration.
        telemetry = Telemetry(metrics, config, hash_key=config.log_hash_key, tracing=config.tracing,
                              tracer_provider=tracer_provider)
        limiter = RateLimiter(config.rate_limit_per_minute, config.rate_limit_tokens)
        svc = Service(config, registry, metrics, telemetry, opened, limiter,
                      Worker(opened, config, metrics, telemetry), CleanupRunner(opened, config, metrics, telemetry))
        metrics.jam_package_pending_gauge[opened.kind].set(await opened.pending_count())
        app.state.jam = svc
        tasks = [asyncio.create_task(svc.worker.run(), name="jam-worker")]
        if config.cleanup_enabled:
            tasks.append(asyncio.create_task(svc.cleanup.run(), name="jam-cleanup"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if store is None:
                await opened.close()

    app = Starlette(routes=[*ROUTES, *routes], lifespan=lifespan, exception_handlers={HTTPException: _http_error})
    app.state.config = config
    app.state.registry = registry
    app.state.metrics = metrics
    return app
