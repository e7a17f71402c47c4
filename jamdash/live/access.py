"""What every request of a live check carries: its credentials, extra headers and TLS, read from the options."""

from __future__ import annotations

import base64
import re
import ssl
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SCRUBBED = "***"
# a shorter --header value (a tenant id "1") is not scrubbed: that would mangle every number in the output
MIN_SCRUBBED = 8
_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP field name (RFC 9110 token)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SET_BY_JAMDASH = frozenset({"accept", "connection", "content-length", "content-type", "host", "transfer-encoding"})


class BadOption(Exception):
    """A credentials or TLS option that cannot be used; the message names a file or a header, never a secret."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


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
           insecure: bool = False, urls: Sequence[str] = (), cert_file: str | None = None,
           key_file: str | None = None) -> Access:
    """The Access of the options; BadOption when one is unusable or two conflict (urls: the checked URLs;
    cert_file, key_file: the client certificate and its key, for servers behind mutual TLS)."""
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
    if key_file is not None and cert_file is None:
        raise BadOption("--key-file", "--key-file without --cert-file: give the client certificate too")
    token = read_token(token_file) if token_file is not None else None
    sent = parsed + ([("Authorization", f"Bearer {token}")] if token else [])
    return Access(tuple(sent), _tls(ca_file, insecure, cert_file, key_file), _secrets(parsed, token, urls))


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
        if (basic := basic_credentials(parts)) is not None:
            found += [basic, urllib.parse.unquote(parts.password or "")]
    return tuple(sorted({s for s in found if s}, key=lambda s: (-len(s), s)))


def read_token(path: str) -> str:
    """The bearer token in the file at path, surrounding whitespace stripped."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except UnicodeDecodeError:
        raise BadOption("--bearer-token-file", f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise _unreadable("--bearer-token-file", path, exc) from None
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


def _tls(ca_file: str | None, insecure: bool, cert_file: str | None, key_file: str | None) -> ssl.SSLContext | None:
    """The client's TLS context; None (urllib's default: the system's CAs) when no option asks for another."""
    if ca_file is None and not insecure and cert_file is None:
        return None
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except ssl.SSLError:
        raise BadOption("--ca-file", f"{ca_file}: not a bundle of PEM certificates") from None
    except OSError as exc:
        raise _unreadable("--ca-file", str(ca_file), exc) from None
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cert_file is not None:
        _client_certificate(context, cert_file, key_file)
    return context


class _Encrypted(Exception):
    """Raised by the password callback: a private key jamdash would have to ask a password for."""


def _encrypted() -> str:
    raise _Encrypted


def _client_certificate(context: ssl.SSLContext, cert_file: str, key_file: str | None) -> None:
    """Load the client certificate and its key (key_file, or the certificate's file when None) into context;
    BadOption names the file that is wrong, never what it holds."""
    try:  # the certificate alone first, so that a message names the right file
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=cert_file)
    except ssl.SSLError:
        raise BadOption("--cert-file", f"{cert_file}: holds no PEM certificate") from None
    except OSError as exc:
        raise _unreadable("--cert-file", cert_file, exc) from None
    option, path = ("--key-file", key_file) if key_file is not None else ("--cert-file", cert_file)
    try:
        if key_file is not None:
            Path(key_file).open("rb").close()
        context.load_cert_chain(cert_file, key_file, password=_encrypted)
    except _Encrypted:
        raise BadOption(option, f"{path}: the private key is encrypted: give it unencrypted") from None
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise BadOption(option, f"{path}: the private key is not the one of the certificate in {cert_file}") \
                from None
        if key_file is None:
            raise BadOption(option, f"{path}: holds no PEM private key: give it with --key-file") from None
        raise BadOption(option, f"{path}: not a PEM private key") from None
    except OSError as exc:
        raise _unreadable(option, path, exc) from None
    context.post_handshake_auth = True  # a server may ask for the certificate after the handshake (TLS 1.3)


def _unreadable(option: str, path: str, exc: OSError) -> BadOption:
    if isinstance(exc, FileNotFoundError):
        return BadOption(option, f"{path}: no such file")
    return BadOption(option, f"{path}: cannot be read: {exc.strerror}")


def basic_credentials(parts: urllib.parse.SplitResult) -> str | None:
    """The basic authentication credentials of user:password in a URL, base64-encoded; None without a user."""
    if parts.username is None:
        return None
    user = urllib.parse.unquote(parts.username) + ":" + urllib.parse.unquote(parts.password or "")
    return base64.b64encode(user.encode()).decode()
