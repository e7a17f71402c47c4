"""Preimage routes: PUT, GET and HEAD /jam/preimages/{hash}, where hash is the sha256 hex of the body."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamdash.service.http import HTTPError, bearer_token, declared_length, endpoint, read_capped
from jamdash.service.store.base import Preimage

if TYPE_CHECKING:
    from jamdash.service.state import Service

HASH_PATTERN = r"[0-9a-f]{64}"
_HASH = re.compile(HASH_PATTERN)


def preimage_hash(data: bytes) -> str:
    """The address of a preimage: the lowercase hex sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def _path_hash(request: Request) -> str:
    hash = str(request.path_params["hash"])
    if not _HASH.fullmatch(hash):
        raise HTTPError(400, "invalid_hash", "the hash must be 64 lowercase hex digits (sha256 of the body)")
    return hash


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@endpoint("preimage_put")
async def put(svc: Service, request: Request) -> Response:
    """Store a preimage: 201 when new, 200 when that hash was already stored."""
    token = bearer_token(request)
    hash = _path_hash(request)
    media_type = _media_type(request)
    telemetry, limit = svc.telemetry, svc.config.max_preimage_bytes
    with telemetry.incoming(request.headers), telemetry.span_preimage_put():
        if media_type not in svc.config.allowed_media_types:
            allowed = svc.config.allowed_media_types
            size = await _size(request, limit, svc.config.body_timeout_seconds)
            telemetry.preimage_upload(hash=hash, size=size, media_type=media_type,
                                      token=token, quota_hit="unsupported_media")
            telemetry.limit_reject(token=token, reason="unsupported_media", limit=len(allowed),
                                   endpoint="preimage_put")
            raise HTTPError(415, "unsupported_media", f"Content-Type {media_type or '(none)'!r} is not allowed",
                            allowed=list(allowed))
        try:
            data = await read_capped(request, limit, svc.config.body_timeout_seconds)
        except HTTPError as refused:
            if refused.reason == "too_large":
                telemetry.preimage_upload(hash=hash, size=refused.details["size"], media_type=media_type,
                                          token=token, quota_hit="too_large")
                telemetry.limit_reject(token=token, reason="too_large", limit=limit, endpoint="preimage_put")
            raise
        actual = preimage_hash(data)
        if actual != hash:
            raise HTTPError(400, "hash_mismatch", "the body's sha256 does not match the hash in the path",
                            expected=hash, actual=actual)
        created = await svc.store.put_preimage(Preimage(
            hash=hash, media_type=media_type, size=len(data), created_at=datetime.now(UTC), data=data))
        telemetry.preimage_upload(hash=hash, size=data, media_type=media_type, token=token)
    body = {"hash": hash, "size": len(data), "media_type": media_type, "created": created}
    return JSONResponse(body, status_code=201 if created else 200)


async def _size(request: Request, limit: int, timeout: float) -> int:
    """The size of a body that will not be stored: its Content-Length, or what reading it up to limit finds."""
    declared = declared_length(request)
    if declared is not None:
        return declared
    try:
        return len(await read_capped(request, limit, timeout))
    except HTTPError as refused:
        size: int = refused.details.get("size", 0)
        return size


@endpoint("preimage_get")
async def get(svc: Service, request: Request) -> Response:
    """The preimage's bytes with its media type; 404 when unknown."""
    hash = _path_hash(request)
    with svc.telemetry.incoming(request.headers), svc.telemetry.span_preimage_get(hash=hash):
        found = await svc.store.get_preimage(hash)
        if found is None:
            raise HTTPError(404, "not_found", f"no preimage {hash}")
    return Response(found.data, media_type=found.media_type)


@endpoint("preimage_head")
async def head(svc: Service, request: Request) -> Response:
    """Whether the preimage exists: 200 with its size and media type, or 404, never a body."""
    try:
        hash = _path_hash(request)
    except HTTPError as refused:
        return Response(status_code=refused.status)
    with svc.telemetry.incoming(request.headers), svc.telemetry.span_preimage_head(hash=hash):
        found = await svc.store.get_preimage(hash, with_data=False)
    if found is None:
        return Response(status_code=404)
    return Response(status_code=200, headers={"content-length": str(found.size), "content-type": found.media_type})


async def get_or_head(request: Request) -> Response:
    """GET and HEAD share a path; each is counted as its own endpoint."""
    return await (head if request.method == "HEAD" else get)(request)
