"""System routes: /metrics from the app's own registry, /system/status with the JAM block, /jam/healthz."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamdash import __version__
from jamdash.service.http import endpoint, service
from jamdash.service.store import StoreError

if TYPE_CHECKING:
    from jamdash.service.state import Service


async def metrics(request: Request) -> Response:
    """The Prometheus text exposition of the app's registry."""
    return Response(generate_latest(service(request).registry), media_type=CONTENT_TYPE_LATEST)


@endpoint("status")
async def status(svc: Service, request: Request) -> Response:
    """The service's status; its ``jam`` block comes from the generated status helper."""
    return JSONResponse({"service": "jam", "version": __version__, "jam": svc.telemetry.status_block()})


@endpoint("healthz")
async def healthz(svc: Service, request: Request) -> Response:
    """200 when the store answers, cleanup is on schedule and the worker is not stuck; else 503 with reasons.

    The store's ping has its own connection and bound (``health_timeout_seconds``), so this
    answers even while other store calls wait on a store that does not answer.
    """
    try:
        await svc.store.ping()
        reachable = True
    except StoreError:
        reachable = False
    code, body = svc.telemetry.health(lambda: reachable, last_cleanup=svc.cleanup.last_success)
    if svc.worker.stuck():
        code, body = 503, {"status": "unavailable", "reasons": [*body["reasons"], "worker_stuck"]}
    return JSONResponse(body, status_code=code)
