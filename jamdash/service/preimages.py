"""Preimage routes: PUT, GET and HEAD /jam/preimages/{hash}, where hash is the sha256 hex of the body."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamdash.service.http import HTTPError, bearer_token, endpoint, read_capped
from jamdash.service.store.base import Preimage

if TYPE_CHECKING:
    from jamdash.service.app import Service

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
    started = time.perf_counter()
    bearer_token(request)
    hash = _path_hash(request)
    store, limit = svc.store.kind, svc.config.max_preimage_bytes
    media_type = _media_type(request)
    if media_type not in svc.config.allowed_media_types:
        declared = request.headers.get("content-length", "")
        if declared.isdigit():
            svc.metrics.jam_preimage_put_size_bytes[store].observe(int(declared))
        svc.metrics.jam_preimage_quota_reject_total["unsupported_media"].inc()
        raise HTTPError(415, "unsupported_media", f"Content-Type {media_type or '(none)'!r} is not allowed",
                        allowed=list(svc.config.allowed_media_types))
    try:
        data = await read_capped(request, limit)
    except HTTPError as refused:
        if refused.reason == "too_large":
            svc.metrics.jam_preimage_put_size_bytes[store].observe(refused.details["size"])
            svc.metrics.jam_preimage_quota_reject_total["too_large"].inc()
        raise
    svc.metrics.jam_preimage_put_size_bytes[store].observe(len(data))
    actual = preimage_hash(data)
    if actual != hash:
        raise HTTPError(400, "hash_mismatch", "the body's sha256 does not match the hash in the path",
                        expected=hash, actual=actual)
    created = await svc.store.put_preimage(
        Preimage(hash=hash, media_type=media_type, size=len(data), created_at=datetime.now(UTC), data=data))
    svc.metrics.jam_preimage_put_total[store].inc()
    svc.metrics.jam_preimage_bytes_total[store].inc(len(data))
    svc.metrics.jam_preimage_put_duration_seconds[store].observe(time.perf_counter() - started)
    body = {"hash": hash, "size": len(data), "media_type": media_type, "created": created}
    return JSONResponse(body, status_code=201 if created else 200)


@endpoint("preimage_get")
async def get(svc: Service, request: Request) -> Response:
    """The preimage's bytes with its media type; 404 when unknown."""
    hash = _path_hash(request)
    found = await svc.store.get_preimage(hash)
    if found is None:
        raise HTTPError(404, "not_found", f"no preimage {hash}")
    svc.metrics.jam_preimage_get_total[svc.store.kind].inc()
    return Response(found.data, media_type=found.media_type)


@endpoint("preimage_head")
async def head(svc: Service, request: Request) -> Response:
    """Whether the preimage exists: 200 with its size and media type, or 404, never a body."""
    try:
        hash = _path_hash(request)
    except HTTPError as refused:
        return Response(status_code=refused.status)
    found = await svc.store.get_preimage(hash, with_data=False)
    svc.metrics.jam_preimage_head_total[svc.store.kind].inc()
    if found is None:
        return Response(status_code=404)
    return Response(status_code=200, headers={"content-length": str(found.size), "content-type": found.media_type})


async def get_or_head(request: Request) -> Response:
    """GET and HEAD share a path; each is counted as its own endpoint."""
    return await (head if request.method == "HEAD" else get)(request)
