"""HTTP for the live checks: one request with a timeout and an Access (live/access.py), kept out of every message."""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, Any

from jamdash import __version__
from jamdash.live.access import NO_ACCESS, Access, basic_credentials

MAX_BYTES = 64 * 1024 * 1024  # a larger answer is not an exposition or API answer worth reading
_NAME_MISMATCH = (62, 64)  # OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
_KEPT_ACROSS_ORIGINS = frozenset({"accept", "user-agent"})
# the alerts a server sends about the client certificate it was given (mutual TLS)
_CERTIFICATE_REFUSED = frozenset({"TLSV1_ALERT_UNKNOWN_CA", "TLSV1_ALERT_ACCESS_DENIED", "SSLV3_ALERT_BAD_CERTIFICATE",
                                  "SSLV3_ALERT_CERTIFICATE_EXPIRED", "SSLV3_ALERT_CERTIFICATE_REVOKED",
                                  "SSLV3_ALERT_CERTIFICATE_UNKNOWN", "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE"})


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


def request(url: str, timeout: float, accept: str | None = None, form: dict[str, str] | None = None,
            access: Access = NO_ACCESS) -> Answer:
    """GET url (POST when form is given) with access's headers and TLS; user:password in the URL becomes
    basic authentication."""
    shown = redacted(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unreachable(f"{shown}: not an http:// or https:// URL")
    headers = {"User-Agent": f"jamdash/{__version__}", **dict(access.headers)}
    if accept:
        headers["Accept"] = accept
    if (basic := basic_credentials(parts)) is not None:
        headers["Authorization"] = f"Basic {basic}"
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(_HttpsHandler(access.tls), _SameOrigin())
    try:
        with opener.open(urllib.request.Request(shown, data=data, headers=headers), timeout=timeout) as r:
            body = r.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise Unreachable(f"{shown}: the answer is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            return Answer(shown, r.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        raise Unreachable(access.scrub(f"{shown}: HTTP {exc.code} {exc.reason}{_api_error(exc)}")) from None
    except urllib.error.URLError as exc:
        raise Unreachable(access.scrub(f"{shown}: {_failure(exc.reason)}")) from None
    except ssl.SSLError as exc:  # after the handshake: TLS 1.3 servers refuse a client certificate there
        raise Unreachable(access.scrub(f"{shown}: {_refused(exc) or f'TLS failed: {exc.reason or exc}'}")) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise Unreachable(access.scrub(f"{shown}: {exc.__class__.__name__}: {exc}".rstrip(": "))) from None


class _HttpsConnection(http.client.HTTPSConnection):
    """Reads why sending failed: a server behind mutual TLS that refuses the client certificate sends an alert
    and closes, and the request can fail on the closed connection before the alert is read (TLS 1.3)."""

    def send(self, data: Any) -> None:
        try:
            super().send(data)
        except OSError:
            if isinstance(self.sock, ssl.SSLSocket):
                try:
                    self.sock.recv(1)
                except ssl.SSLError as alert:
                    if _refused(alert):
                        raise alert from None
                except OSError:
                    pass
            raise


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, tls: ssl.SSLContext | None) -> None:
        super().__init__(context=tls)
        self.tls = tls

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HttpsConnection, req, context=self.tls)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, but sends credentials and the --header headers only to the origin
    (scheme, host, port) they were given for: a redirect elsewhere gets Accept and User-Agent alone."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: http.client.HTTPMessage, newurl: str) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(new.full_url) != _origin(req.full_url):
            new.headers = {k: v for k, v in new.headers.items() if k.lower() in _KEPT_ACROSS_ORIGINS}
        return new


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), _port(parts) or {"http": 80, "https": 443}.get(parts.scheme)


def _failure(reason: object) -> str:
    """Why a connection failed, in one line: TLS verification with what to do, or the socket's error."""
    if isinstance(reason, ssl.SSLCertVerificationError):
        why = " ".join(str(reason.verify_message or reason.reason).split()).rstrip(".")
        if reason.verify_code in _NAME_MISMATCH:
            return f"TLS: the server's certificate is for another name ({why}): use a name it holds in the URL"
        return (f"TLS: the server's certificate is not trusted ({why}): give its CA bundle with --ca-file, "
                "or --insecure-skip-verify")
    if isinstance(reason, ssl.SSLError):
        return _refused(reason) or f"TLS handshake failed ({reason.reason or reason})"
    return f"cannot connect: {reason}"


def _refused(error: ssl.SSLError) -> str | None:
    """A server's alert about the client certificate, in one line with what to do; None for another error."""
    why = str(error.reason).lower().replace("_", " ")
    if error.reason == "TLSV13_ALERT_CERTIFICATE_REQUIRED":
        return f"TLS: the server requires a client certificate ({why}): give one with --cert-file and --key-file"
    if error.reason in _CERTIFICATE_REFUSED:
        return f"TLS: the server refused the client certificate ({why}): give one issued by a CA the server trusts"
    return None


def _api_error(exc: urllib.error.HTTPError) -> str:
    """The `error` of a Prometheus API error answer, when there is one."""
    try:
        error = json.loads(exc.read(64 * 1024)).get("error")
    except (OSError, ValueError, AttributeError):
        return ""
    return f" ({' '.join(str(error).split())})" if error else ""
