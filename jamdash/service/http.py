"""HTTP plumbing shared by the routes: JSON errors, bearer tokens, capped bodies, per-endpoint counting."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from jamdash.service.generated import CodeClass, Endpoint
from jamdash.service.store import StoreError

if TYPE_CHECKING:
    from jamdash.service.state import Service

log = logging.getLogger("jamdash.service.http")

Handler = Callable[["Service", Request], Awaitable[Response]]

MAX_TOKEN_LENGTH = 1024
"""Longest bearer token accepted, in characters."""
_LENGTH = re.compile(r"[0-9]{1,18}")


class HTTPError(Exception):
    """A request the service refuses: answered as ``{"error": reason, "message": ...}``."""

    def __init__(self, status: int, reason: str, message: str, headers: dict[str, str] | None = None,
                 **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.headers = headers
        self.details = details

    def response(self) -> JSONResponse:
        body = {"error": self.reason, "message": str(self), **self.details}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def error_response(status: int, reason: str, message: str) -> JSONResponse:
    return HTTPError(status, reason, message).response()


def service(request: Request) -> Service:
    """The service state the app's lifespan set up."""
    svc: Service = request.app.state.jam
    return svc


def endpoint(name: Endpoint) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Make a Starlette endpoint of handler(service, request), counted as ``name``.

    Every answer, refusals and failures included, is counted in jam_http_requests_total by
    status class. A store that fails answers 503; any other exception answers 500. A client
    that left before its request was read gets no answer and is not counted.
    """

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            svc = service(request)
            try:
                response = await handler(svc, request)
            except HTTPError as refused:
                response = refused.response()
            except ClientDisconnect:
                log.info("%s: the client left before sending its whole request", name)
                return Response(status_code=400)  # never sent: nobody is listening
            except StoreError as exc:
                log.warning("%s: store unavailable: %s", name, exc)
                response = error_response(503, "store_unavailable", "the store is unavailable; retry later")
            except Exception:
                log.exception("%s: unexpected error", name)
                response = error_response(500, "internal", "unexpected error; see the service log")
            svc.metrics.jam_http_requests_total[name, code_class(response.status_code)].inc()
            return response

        return run

    return wrap


_CODE_CLASSES: tuple[CodeClass, ...] = ("2xx", "3xx", "4xx", "5xx")


def code_class(status: int) -> CodeClass:
    """The status class label of an HTTP status (the service answers no 1xx)."""
    return _CODE_CLASSES[min(max(status // 100, 2), 5) - 2]


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; 401 when missing or malformed."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise HTTPError(401, "missing_token", "send 'Authorization: Bearer <token>'",
                        headers={"WWW-Authenticate": "Bearer"})
    if len(token) > MAX_TOKEN_LENGTH:
        raise HTTPError(401, "invalid_token", f"a bearer token is at most {MAX_TOKEN_LENGTH} characters",
                        headers={"WWW-Authenticate": "Bearer"})
    return token


def declared_length(request: Request) -> int | None:
    """The request's Content-Length; None when absent, 400 when it is not a number of bytes."""
    declared = request.headers.get("content-length")
    if declared is None:
        return None
    if not _LENGTH.fullmatch(declared):
        raise HTTPError(400, "bad_content_length", "Content-Length must be a number of bytes")
    return int(declared)


async def read_capped(request: Request, limit: int, timeout: float, reason: str = "too_large") -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed limit bytes.

    A body not received within timeout seconds is refused with 408, and the connection closed.
    """
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise HTTPError(413, reason, f"body is {declared} bytes; the limit is {limit}", limit=limit, size=declared)
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise HTTPError(413, reason, f"body exceeds the limit of {limit} bytes", limit=limit,
                                    size=len(body))
    except TimeoutError:
        raise HTTPError(408, "body_timeout", f"the body was not received within {timeout:g}s",
                        headers={"Connection": "close"}) from None
    return bytes(body)
