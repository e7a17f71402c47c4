"""HTTP for the live checks: one request with a timeout, credentials kept out of every message."""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from jamdash import __version__

MAX_BYTES = 64 * 1024 * 1024  # a larger answer is not an exposition or API answer worth reading


class Unreachable(Exception):
    """An endpoint that cannot be read; the message is one line and holds no credentials."""


@dataclass(frozen=True)
class Answer:
    url: str  # redacted
    content_type: str
    body: bytes


def redacted(url: str) -> str:
    """url without its user and password, so it can be printed."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if _port(parts) is not None else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _port(parts: urllib.parse.SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def request(url: str, timeout: float, accept: str | None = None, form: dict[str, str] | None = None) -> Answer:
    """GET url (POST when form is given); user:password in the URL becomes basic authentication."""
    shown = redacted(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unreachable(f"{shown}: not an http:// or https:// URL")
    headers = {"User-Agent": f"jamdash/{__version__}"}
    if accept:
        headers["Accept"] = accept
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username) + ":" + urllib.parse.unquote(parts.password or "")
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode()).decode()
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(shown, data=data, headers=headers), timeout=timeout) as r:
            body = r.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise Unreachable(f"{shown}: the answer is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            return Answer(shown, r.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        raise Unreachable(f"{shown}: HTTP {exc.code} {exc.reason}{_api_error(exc)}") from None
    except urllib.error.URLError as exc:
        raise Unreachable(f"{shown}: cannot connect: {exc.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise Unreachable(f"{shown}: {exc.__class__.__name__}: {exc}".rstrip(": ")) from None


def _api_error(exc: urllib.error.HTTPError) -> str:
    """The `error` of a Prometheus API error answer, when there is one."""
    try:
        error = json.loads(exc.read(64 * 1024)).get("error")
    except (OSError, ValueError, AttributeError):
        return ""
    return f" ({' '.join(str(error).split())})" if error else ""
