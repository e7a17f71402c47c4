"""HTTP for the live checks: one request with a timeout, its credentials and TLS, kept out of every message."""

from __future__ import annotations

import base64
import http.client
import json
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from jamdash import __version__

MAX_BYTES = 64 * 1024 * 1024  # a larger answer is not an exposition or API answer worth reading
SCRUBBED = "***"
MIN_SCRUBBED = 8  # a shorter --header value (a tenant id "1") is not scrubbed: that would mangle every number
_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP field name (RFC 9110 token)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NAME_MISMATCH = (62, 64)  # OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
_SET_BY_JAMDASH = frozenset({"accept", "connection", "content-length", "content-type", "host", "transfer-encoding"})
_KEPT_ACROSS_ORIGINS = frozenset({"accept", "user-agent"})


class Unreachable(Exception):
    """An endpoint that cannot be read; the message is one line and holds no credentials."""


class BadOption(Exception):
    """A credentials or TLS option that cannot be used; the message names a file or a header, never a secret."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Answer:
    url: str  # redacted
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Access:
    """What every request of a check carries: extra headers (a bearer token's among them) and a TLS context."""

    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    tls: ssl.SSLContext | None = None  # None: the system's CAs
    secrets: tuple[str, ...] = field(default=(), repr=False)  # longest first

    def scrub(self, text: str) -> str:
        """text with every secret (the token, a URL's password, long header values) replaced by ***, for
        output that may quote a server's answer (a 401 page echoing the token)."""
        for secret in self.secrets:
            text = text.replace(secret, SCRUBBED)
        return text


NO_ACCESS = Access()


def access(token_file: str | None = None, headers: Sequence[str] = (), ca_file: str | None = None,
           insecure: bool = False, urls: Sequence[str] = ()) -> Access:
    """The Access of the options; BadOption when one is unusable or two conflict (urls: the checked URLs)."""
    parsed = [_header(text, i, len(headers)) for i, text in enumerate(headers, 1)]
    names = [name.lower() for name, _ in parsed]
    if twice := next((n for i, n in enumerate(names) if n in names[:i]), None):
        raise BadOption("--header", f"{twice} is given twice: give each header once")
    with_user = any(urllib.parse.urlsplit(url).username is not None for url in urls)
    if token_file is not None and "authorization" in names:
        raise BadOption("--header", "an Authorization header and --bearer-token-file: give one")
    if with_user and (token_file is not None or "authorization" in names):
        raise BadOption("--bearer-token-file" if token_file is not None else "--header",
                        "a URL with user:password (basic authentication) and a bearer token or an Authorization "
                        "header: give one")
    if ca_file is not None and insecure:
        raise BadOption("--insecure-skip-verify", "--ca-file and --insecure-skip-verify: give one")
    token = read_token(token_file) if token_file is not None else None
    sent = parsed + ([("Authorization", f"Bearer {token}")] if token else [])
    return Access(tuple(sent), _tls(ca_file, insecure), _secrets(parsed, token, urls))


def _secrets(headers: list[tuple[str, str]], token: str | None, urls: Sequence[str]) -> tuple[str, ...]:
    """What scrub replaces, longest first: the token, an Authorization header's value and credentials, the
    user:password of a URL (decoded and base64-encoded), and the header values of MIN_SCRUBBED characters or more."""
    found = [token or ""]
    for name, value in headers:
        if name.lower() == "authorization":
            found += [value, value.partition(" ")[2]]
        elif len(value) >= MIN_SCRUBBED:
            found.append(value)
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if (basic := _basic(parts)) is not None:
            found += [basic, urllib.parse.unquote(parts.password or "")]
    return tuple(sorted({s for s in found if s}, key=lambda s: (-len(s), s)))


def read_token(path: str) -> str:
    """The bearer token in the file at path, surrounding whitespace stripped."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise BadOption("--bearer-token-file", f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BadOption("--bearer-token-file", f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise BadOption("--bearer-token-file", f"{path}: cannot be read: {exc.strerror}") from None
    if not token:
        raise BadOption("--bearer-token-file", f"{path}: the file is empty")
    if any(c.isspace() for c in token) or _CONTROL.search(token) or not token.isascii():
        raise BadOption("--bearer-token-file", f"{path}: the token holds whitespace, control or non-ASCII "
                                               "characters; the file must hold the token alone")
    return token


def _header(text: str, number: int, count: int) -> tuple[str, str]:
    """'Name: value' as (name, value); the messages name the header, never its value."""
    name, colon, value = text.partition(":")
    value = value.strip(" \t")
    which = f"header {number} of {count}" if count > 1 else "the header"
    if not colon or not _NAME.fullmatch(name):
        raise BadOption("--header", f"{which} is not 'Name: value' (e.g. 'X-Scope-OrgID: tenant-1')")
    if not value:
        raise BadOption("--header", f"{name} has no value")
    if _CONTROL.search(value) or not value.isascii():
        raise BadOption("--header", f"{name}'s value holds a line break, another control character or "
                                    "a non-ASCII character")
    if name.lower() in _SET_BY_JAMDASH:
        raise BadOption("--header", f"{name} is set by jamdash itself")
    return name, value


def _tls(ca_file: str | None, insecure: bool) -> ssl.SSLContext | None:
    if insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if ca_file is None:
        return None
    try:
        return ssl.create_default_context(cafile=ca_file)
    except FileNotFoundError:
        raise BadOption("--ca-file", f"{ca_file}: no such file") from None
    except ssl.SSLError:
        raise BadOption("--ca-file", f"{ca_file}: not a bundle of PEM certificates") from None
    except OSError as exc:
        raise BadOption("--ca-file", f"{ca_file}: cannot be read: {exc.strerror}") from None


def _basic(parts: urllib.parse.SplitResult) -> str | None:
    """The basic authentication credentials of user:password in a URL, base64-encoded; None without a user."""
    if parts.username is None:
        return None
    user = urllib.parse.unquote(parts.username) + ":" + urllib.parse.unquote(parts.password or "")
    return base64.b64encode(user.encode()).decode()


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
    if (basic := _basic(parts)) is not None:
        headers["Authorization"] = f"Basic {basic}"
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=access.tls), _SameOrigin())
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
    except ssl.SSLError as exc:
        raise Unreachable(access.scrub(f"{shown}: TLS failed: {exc.reason or exc}")) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise Unreachable(access.scrub(f"{shown}: {exc.__class__.__name__}: {exc}".rstrip(": "))) from None


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
        return f"TLS handshake failed ({reason.reason or reason})"
    return f"cannot connect: {reason}"


def _api_error(exc: urllib.error.HTTPError) -> str:
    """The `error` of a Prometheus API error answer, when there is one."""
    try:
        error = json.loads(exc.read(64 * 1024)).get("error")
    except (OSError, ValueError, AttributeError):
        return ""
    return f" ({' '.join(str(error).split())})" if error else ""
