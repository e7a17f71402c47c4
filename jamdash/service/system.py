"""System routes: /metrics from the app's own registry, /system/status with the JAM block, /jam/healthz."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamdash import __version__
from jamdash.service.http import endpoint, service
from jamdash.service.store import StoreError

if TYPE_CHECKING:
    from jamdash.service.app import Service


async def metrics(request: Request) -> Response:
    """The Prometheus text exposition of the app's registry."""
    return Response(generate_latest(service(request).registry), media_type=CONTENT_TYPE_LATEST)


def jam_block(svc: Service) -> dict[str, Any]:
    """The JAM block of /system/status: the observability-relevant configuration."""
    config = svc.config
    return {"enabled": config.enabled, "store": config.store,
            "rate_limit_per_minute": config.rate_limit_per_minute,
            "max_preimage_bytes": config.max_preimage_bytes,
            "max_pending_packages": config.max_pending_packages,
            "cleanup_enabled": config.cleanup_enabled}


@endpoint("status")
async def status(svc: Service, request: Request) -> Response:
    return JSONResponse({"service": "jam", "version": __version__, "jam": jam_block(svc)})


@endpoint("healthz")
async def healthz(svc: Service, request: Request) -> Response:
    """200 when the store answers and cleanup is on schedule, else 503 with the failing reasons."""
    reasons: list[str] = []
    try:
        await svc.store.ping()
    except StoreError as exc:
        reasons.append(f"store: {exc}")
    if svc.config.cleanup_enabled and not svc.cleanup.healthy():
        reasons.append(f"cleanup: no successful run recently (last error: {svc.cleanup.last_error})")
    if reasons:
        return JSONResponse({"status": "unhealthy", "reasons": reasons}, status_code=503)
    return JSONResponse({"status": "ok"})
