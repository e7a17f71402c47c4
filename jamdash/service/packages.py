"""Package routes: POST /jam/packages, GET /jam/packages and GET /jam/packages/{id}."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamdash.service.http import HTTPError, bearer_token, endpoint, read_capped
from jamdash.service.preimages import HASH_PATTERN
from jamdash.service.store import StoreError
from jamdash.service.store.base import Cursor, Package, PackageDetail, PackageStatus

if TYPE_CHECKING:
    from jamdash.service.state import Service

_ID = re.compile(r"[0-9a-f]{32}")
_LIMIT = re.compile(r"[0-9]{1,3}")
MAX_LIST = 500


class PackageIn(BaseModel):
    """The body of POST /jam/packages; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    service_id: int = Field(ge=0, lt=2**32, description="The JAM service the package is for (u32).")
    payload: str = Field(max_length=32 * 1024, description="The work the package asks for.")
    preimages: list[Annotated[str, StringConstraints(pattern=f"^{HASH_PATTERN}$")]] = Field(
        default_factory=list, max_length=16, description="Preimages refine reads; each must exist by then.")
    fault: Literal["refine", "attest", "accumulate"] | None = Field(
        default=None, description="Fail this stage (only when the service runs with fault injection).")

    @field_validator("payload")
    @classmethod
    def _storable(cls, payload: str) -> str:
        """Text every store keeps as it is: no NUL character (PostgreSQL refuses it), no lone surrogate."""
        if "\x00" in payload:
            raise ValueError("the payload must not contain a NUL character (\\u0000)")
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("the payload must not contain a lone surrogate (\\ud800-\\udfff)") from None
        return payload


def _parse(svc: Service, raw: bytes) -> PackageIn:
    try:
        document = json.loads(raw)
    except RecursionError:
        raise HTTPError(400, "malformed_json", "the body is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an integer of over 4300 digits
        raise HTTPError(400, "malformed_json", f"the body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise HTTPError(422, "invalid_package", "the body must be a JSON object")
    try:
        package = PackageIn.model_validate(document)
    except ValidationError as exc:
        problems = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        raise HTTPError(422, "invalid_package", "the package is not valid; see problems", problems=problems) \
            from exc
    if package.fault is not None and not svc.config.fault_injection:
        raise HTTPError(422, "invalid_package", "fault injection is off on this service",
                        problems=[{"field": "fault", "problem": "fault injection is off"}])
    return package


@endpoint("package_submit")
async def submit(svc: Service, request: Request) -> Response:
    """Accept a package for processing: 202, or 401/413/415/400/422 bad input, 429 rate limit, 503 cap."""
    token = bearer_token(request)
    if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() != "application/json":
        raise HTTPError(415, "unsupported_media", "send the package as application/json")
    raw = await read_capped(request, svc.config.max_package_bytes, svc.config.body_timeout_seconds)
    body = _parse(svc, raw)
    telemetry, cap = svc.telemetry, svc.config.max_pending_packages
    with telemetry.incoming(request.headers), telemetry.span_package_submit(service_id=str(body.service_id)):
        if not svc.limiter.allow(token):
            telemetry.limit_reject(token=token, reason="rate_limit", limit=svc.limiter.per_minute,
                                   endpoint="package_submit")
            raise HTTPError(429, "rate_limited", f"more than {svc.limiter.per_minute} submissions a minute",
                            headers={"Retry-After": str(svc.limiter.retry_after(token))},
                            limit=svc.limiter.per_minute)
        trace: dict[str, str] = {}
        telemetry.inject(trace)  # processing continues this trace (worker.py)
        package = Package(id=uuid.uuid4().hex, service_id=body.service_id, payload=body.payload,
                          preimages=tuple(body.preimages), status="pending", created_at=datetime.now(UTC),
                          fault=body.fault, traceparent=trace.get("traceparent"))
        try:
            pending = await svc.store.submit_package(package, cap)
        except StoreError:
            svc.limiter.refund(token)  # a refusal uses no budget
            raise
        if pending is None:
            svc.limiter.refund(token)
            telemetry.limit_reject(token=token, reason="pending_cap", limit=cap, endpoint="package_submit")
            raise HTTPError(503, "pending_cap", f"{cap} packages are already pending; retry later",
                            headers={"Retry-After": "1"}, limit=cap)
        telemetry.package_submit(pkg_id=package.id, service_id=str(package.service_id), token=token,
                                 pending_count=pending)
    svc.worker.wake()
    return JSONResponse({"id": package.id, "status": package.status, "pending": pending,
                         "url": f"/jam/packages/{package.id}"}, status_code=202, headers=trace)


def _package_json(package: Package) -> dict[str, Any]:
    return {"id": package.id, "service_id": package.service_id, "status": package.status,
            "error": package.error, "attempts": package.attempts, "preimages": list(package.preimages),
            "created_at": package.created_at.isoformat(),
            "finished_at": package.finished_at.isoformat() if package.finished_at else None}


def _detail_json(detail: PackageDetail) -> dict[str, Any]:
    report = detail.report
    return {**_package_json(detail.package),
            "attestations": [{"guarantor": a.guarantor, "signature": a.signature} for a in detail.attestations],
            "report": None if report is None else {
                "digest": report.digest, "attestations": report.attestations,
                "created_at": report.created_at.isoformat()}}


@endpoint("package_list")
async def list_(svc: Service, request: Request) -> Response:
    """The newest packages first: ?limit=1..500 (50), ?status=pending|processing|done|failed, ?cursor=next.

    ``next`` in the answer is the cursor of the following page; null on the last page.
    """
    unknown = set(request.query_params) - {"limit", "status", "cursor"}
    if unknown:
        raise HTTPError(400, "unknown_parameter", f"unknown query parameters: {', '.join(sorted(unknown))}")
    limit_text = request.query_params.get("limit", "50")
    if not _LIMIT.fullmatch(limit_text) or not 1 <= int(limit_text) <= MAX_LIST:
        raise HTTPError(400, "invalid_limit", f"limit must be a whole number from 1 to {MAX_LIST}")
    status = request.query_params.get("status")
    if status is not None and status not in get_args(PackageStatus):
        raise HTTPError(400, "invalid_status", f"status must be one of {', '.join(get_args(PackageStatus))}")
    cursor = request.query_params.get("cursor")
    after = None if cursor is None else _decode_cursor(cursor)
    limit = int(limit_text)
    with svc.telemetry.incoming(request.headers), svc.telemetry.span_package_list():
        packages = await svc.store.list_packages(limit + 1, status, after)  # type: ignore[arg-type]
    more, packages = len(packages) > limit, packages[:limit]
    return JSONResponse({"packages": [_package_json(p) for p in packages],
                         "next": _encode_cursor(packages[-1]) if more else None})


def _encode_cursor(last: Package) -> str:
    raw = f"{last.created_at.isoformat()} {last.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> Cursor:
    try:
        at, _, package_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(" ")
        created_at = datetime.fromisoformat(at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        created_at, package_id = datetime.min, ""
    if created_at.tzinfo is None or not _ID.fullmatch(package_id):
        raise HTTPError(400, "invalid_cursor", "cursor must be the 'next' of a previous page")
    return Cursor(created_at, package_id)


@endpoint("package_get")
async def get(svc: Service, request: Request) -> Response:
    """One package with its attestations and report; 404 when unknown."""
    package_id = str(request.path_params["id"])
    if not _ID.fullmatch(package_id):
        raise HTTPError(400, "invalid_id", "a package id is 32 lowercase hex digits")
    with svc.telemetry.incoming(request.headers), svc.telemetry.span_package_get(pkg_id=package_id):
        detail = await svc.store.get_package(package_id)
        if detail is None:
            raise HTTPError(404, "not_found", f"no package {package_id}")
    return JSONResponse(_detail_json(detail))
