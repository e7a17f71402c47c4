"""`jamdash check` behind authentication and TLS: a bearer token, extra headers, a CA bundle, no verification,
a client certificate (mutual TLS).

The servers are real HTTPS servers on loopback (tests/support/servers.py's HttpStub) with certificates
made by trustme; they keep the headers of every request, so the tests see what reached them.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import trustme
from cryptography.hazmat.primitives import serialization
from click.testing import CliRunner, Result
from prometheus_client import CollectorRegistry, generate_latest

from conftest import GENERATED, SPEC
from jamdash.cli import cli
from servers import Answer, HttpStub, http_stub, prometheus

TEXT = "text/plain; version=0.0.4; charset=utf-8"
RULE_FILES = sorted((GENERATED / "prometheus").glob("*.rules.yaml"))
TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.s1gnature"
API_KEY = "key-0123456789abcdef"  # a header value long enough to be scrubbed from what a server echoes
# Every endpoint jamdash reads (rules, alerts, query) accepts this answer: Prometheus with nothing loaded.
EMPTY_API = json.dumps({"status": "success",
                        "data": {"groups": [], "alerts": [], "resultType": "vector", "result": []}}).encode()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def token_file(tmp_path: Path) -> str:
    path = tmp_path / "token"
    path.write_text(f"  {TOKEN}\n")
    return str(path)


@pytest.fixture
def tls(ca: trustme.CA) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 issued by ca."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


class ClientFiles(NamedTuple):
    """A client certificate of the module's CA, written as mutual TLS deployments keep them."""

    cert: str  # the certificate (and its chain) alone
    key: str  # its private key
    both: str  # the key and the certificate in one file
    other_cert: str  # a certificate of another CA
    other_key: str  # and its key
    encrypted_key: str  # the key, encrypted with a password


@pytest.fixture
def client_files(ca: trustme.CA, tmp_path: Path) -> ClientFiles:
    leaf, other = ca.issue_cert("jam-check"), trustme.CA().issue_cert("jam-check")
    key = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), password=None)
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"s3cret-passphrase"))
    files = {"client.pem": b"".join(pem.bytes() for pem in leaf.cert_chain_pems),
             "client-key.pem": leaf.private_key_pem.bytes(),
             "client-both.pem": leaf.private_key_and_cert_chain_pem.bytes(),
             "other.pem": b"".join(pem.bytes() for pem in other.cert_chain_pems),
             "other-key.pem": other.private_key_pem.bytes(),
             "client-key-encrypted.pem": encrypted}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return ClientFiles(*(str(tmp_path / name) for name in files))


@pytest.fixture
def exposition(jam_registry: CollectorRegistry) -> bytes:
    return generate_latest(jam_registry)


@pytest.fixture
def mtls(ca: trustme.CA, exposition: bytes) -> Iterator[HttpStub]:
    """An HTTPS server that requires a client certificate issued by ca (its own certificate is ca's too)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    with http_stub(lambda _: (200, TEXT, exposition), context) as stub:
        yield stub


@pytest.fixture
def https(tls: ssl.SSLContext, exposition: bytes) -> Iterator[HttpStub]:
    """An HTTPS server answering every request with the generated module's exposition."""
    with http_stub(lambda _: (200, TEXT, exposition), tls) as stub:
        yield stub


def check(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, ["check", "--spec", str(SPEC), *args], env=env)
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit)
    return result


def errors(result: Result) -> set[str]:
    """The rules of the error findings of a --format json run."""
    return {f["rule"] for f in json.loads(result.stdout) if f["severity"] == "error"}


def secrets_in(result: Result) -> list[str]:
    return [s for s in (TOKEN, API_KEY) if s in result.stdout or s in result.stderr]


# --- what reaches the server ------------------------------------------------------------------

def test_the_token_and_headers_reach_a_verified_https_metrics_endpoint(https: HttpStub, ca_file: str,
                                                                       token_file: str) -> None:
    result = check("--metrics-url", f"{https.url}/metrics", "--ca-file", ca_file, "--bearer-token-file", token_file,
                   "--header", "X-Scope-OrgID: tenant-1", "--header", f"AccountID:{API_KEY}", "-v")
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    sent = https.requests[0]
    assert sent["authorization"] == f"Bearer {TOKEN}"
    assert (sent["x-scope-orgid"], sent["accountid"]) == ("tenant-1", API_KEY)
    assert secrets_in(result) == [] and "tenant-1" not in result.output


def test_every_prometheus_api_request_carries_them(tls: ssl.SSLContext, ca_file: str, token_file: str) -> None:
    """Rules, alerts and the POSTed queries: an empty Prometheus, so the generated groups are missing."""
    with http_stub(lambda _: (200, "application/json", EMPTY_API), tls) as stub:
        result = check("--prometheus-url", stub.url, "--ca-file", ca_file, "--bearer-token-file", token_file,
                       "--header", "X-Scope-OrgID: tenant-1", "--format", "json")
        requests = list(stub.requests)
    assert result.exit_code == 1 and "live-group-missing" in {f["rule"] for f in json.loads(result.stdout)}
    assert len(requests) >= 3
    assert all(r["authorization"] == f"Bearer {TOKEN}" and r["x-scope-orgid"] == "tenant-1" for r in requests)


def test_the_token_file_may_come_from_the_environment(https: HttpStub, ca_file: str, token_file: str) -> None:
    result = check("--metrics-url", f"{https.url}/metrics", "--ca-file", ca_file,
                   env={"JAMDASH_BEARER_TOKEN_FILE": token_file})
    assert result.exit_code == 0, result.output
    assert https.requests[0]["authorization"] == f"Bearer {TOKEN}"


def test_a_redirect_to_another_origin_gets_no_credentials(https: HttpStub, tls: ssl.SSLContext, ca_file: str,
                                                          token_file: str) -> None:
    """A redirect to the same origin keeps the token and headers (the first request is redirected to the
    same server); one to another port, host or scheme gets none of them."""
    redirected: list[bool] = []

    def elsewhere(_: dict[str, str]) -> Answer:
        if not redirected:
            redirected.append(True)
            return 302, TEXT, b"", {"Location": f"{own.url}/metrics"}
        return 302, TEXT, b"", {"Location": f"{https.url}/metrics"}

    with http_stub(elsewhere, tls) as own:
        result = check("--metrics-url", f"{own.url}/metrics", "--ca-file", ca_file, "--bearer-token-file", token_file,
                       "--header", "X-Scope-OrgID: tenant-1")
        first, second = own.requests
    assert result.exit_code == 0, result.output
    assert first["authorization"] == second["authorization"] == f"Bearer {TOKEN}"
    assert second["x-scope-orgid"] == "tenant-1"
    assert [h for h in https.requests[0] if h in ("authorization", "x-scope-orgid")] == []
    assert https.requests[0]["accept"].startswith("application/openmetrics-text")


# --- TLS verification ---------------------------------------------------------------------------

def test_a_server_not_signed_by_the_ca_file_is_unreachable(https: HttpStub, tmp_path: Path,
                                                            token_file: str) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    for ca_args in (["--ca-file", str(other)], []):  # another CA; the system's CAs
        result = check("--metrics-url", f"{https.url}/metrics", *ca_args, "--bearer-token-file", token_file)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {https.url}/metrics: TLS: the server's certificate is not trusted (")
        assert "give its CA bundle with --ca-file, or --insecure-skip-verify" in result.stderr
    assert https.requests == []  # nothing was sent: the handshake failed before


def test_a_certificate_for_another_host_is_unreachable(ca: trustme.CA, ca_file: str, exposition: bytes) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("jam.example.org").configure_cert(context)
    with http_stub(lambda _: (200, TEXT, exposition), context) as stub:
        result = check("--metrics-url", f"{stub.url}/metrics", "--ca-file", ca_file)
    assert result.exit_code == 2 and "certificate is for another name (IP address mismatch" in result.stderr, result.stderr


def test_insecure_skip_verify_reads_any_certificate(https: HttpStub, token_file: str) -> None:
    result = check("--metrics-url", f"{https.url}/metrics", "--insecure-skip-verify", "--bearer-token-file", token_file)
    assert result.exit_code == 0, result.output
    assert https.requests[0]["authorization"] == f"Bearer {TOKEN}"


def test_https_to_a_plain_http_server_is_one_line(exposition: bytes, ca_file: str) -> None:
    with http_stub(lambda _: (200, TEXT, exposition)) as stub:
        url = stub.url.replace("http://", "https://") + "/metrics"
        result = check("--metrics-url", url, "--ca-file", ca_file)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {url}: TLS handshake failed ("), \
        result.stderr


# --- client certificates (mutual TLS) -----------------------------------------------------------

def test_a_client_certificate_passes_mutual_tls(mtls: HttpStub, ca_file: str, client_files: ClientFiles,
                                                token_file: str) -> None:
    """The certificate with its key file, or one file holding both; with --ca-file, --insecure-skip-verify
    or the system's CAs (SSL_CERT_FILE here), and with a bearer token."""
    url = f"{mtls.url}/metrics"
    for certificate in (["--cert-file", client_files.cert, "--key-file", client_files.key],
                        ["--cert-file", client_files.both]):
        for verify, env in ((["--ca-file", ca_file], None), (["--insecure-skip-verify"], None),
                            ([], {"SSL_CERT_FILE": ca_file})):
            result = check("--metrics-url", url, *certificate, *verify, "--bearer-token-file", token_file, env=env)
            assert (result.exit_code, result.stdout) == (0, ""), (certificate, verify, result.output)
    assert len(mtls.requests) == 6
    assert all(r["authorization"] == f"Bearer {TOKEN}" for r in mtls.requests)


def test_the_system_cas_still_verify_the_server_with_a_client_certificate(mtls: HttpStub,
                                                                          client_files: ClientFiles) -> None:
    result = check("--metrics-url", f"{mtls.url}/metrics", "--cert-file", client_files.both)
    assert result.exit_code == 2 and "TLS: the server's certificate is not trusted (" in result.stderr, result.stderr
    assert mtls.requests == []


def test_a_server_behind_mutual_tls_refuses_no_certificate_or_another_cas(mtls: HttpStub, ca_file: str,
                                                                          client_files: ClientFiles) -> None:
    url = f"{mtls.url}/metrics"
    for certificate, said in (
            ([], "TLS: the server requires a client certificate (tlsv13 alert certificate required): give one "
                 "with --cert-file and --key-file"),
            (["--cert-file", client_files.other_cert, "--key-file", client_files.other_key],
             "TLS: the server refused the client certificate (tlsv1 alert unknown ca): give one issued by a CA "
             "the server trusts")):
        result = check("--metrics-url", url, "--ca-file", ca_file, *certificate)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == f"error: {url}: {said}\n"
    assert mtls.requests == []


# --- secrets never printed ----------------------------------------------------------------------

def test_a_server_echoing_the_credentials_in_a_401_never_shows_them(tls: ssl.SSLContext, ca_file: str,
                                                                     token_file: str) -> None:
    def refuse(headers: dict[str, str]) -> Answer:
        echo = f"bad credentials {headers.get('authorization')} {headers.get('accountid')} for the tenant"
        return 401, "application/json", json.dumps({"status": "error", "error": echo}).encode()

    with http_stub(refuse, tls) as stub:
        for url_option in ("--metrics-url", "--prometheus-url"):
            for fmt in ("text", "json"):
                result = check(url_option, stub.url, "--ca-file", ca_file, "--bearer-token-file", token_file,
                               "--header", f"AccountID: {API_KEY}", "--format", fmt)
                assert (result.exit_code, result.stdout) == (2, "")
                assert "HTTP 401 Unauthorized (bad credentials Bearer *** *** for the tenant)" in result.stderr
                assert secrets_in(result) == []


def test_a_token_in_what_a_server_exposes_never_reaches_a_finding(tls: ssl.SSLContext, ca_file: str,
                                                                   token_file: str, exposition: bytes) -> None:
    echoed = exposition.replace(b'jam_reports_total{store="memory"}', f'jam_reports_total{{store="{TOKEN}"}}'.encode())
    with http_stub(lambda _: (200, TEXT, echoed), tls) as stub:
        result = check("--metrics-url", stub.url, "--ca-file", ca_file, "--bearer-token-file", token_file,
                       "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == 1 and [f["rule"] for f in found] == ["live-label-value"]
    assert "store='***'" in found[0]["message"] and secrets_in(result) == []


def test_the_credentials_of_an_authorization_header_are_scrubbed(tls: ssl.SSLContext, ca_file: str) -> None:
    """Another scheme, sent with --header: its credentials, quoted alone, are scrubbed whatever their length."""
    with http_stub(lambda _: (401, "application/json", json.dumps({"error": "key abc1 refused"}).encode()),
                   tls) as stub:
        result = check("--metrics-url", stub.url, "--ca-file", ca_file, "--header", "Authorization: ApiKey abc1")
        sent = stub.requests[0]["authorization"]
    assert sent == "ApiKey abc1"
    assert result.exit_code == 2 and "(key *** refused)" in result.stderr and "abc1" not in result.output


def test_basic_authentication_passwords_are_scrubbed_too(tls: ssl.SSLContext, ca_file: str) -> None:
    password = "pa55-w0rd-long"
    with http_stub(lambda _: (403, "application/json", json.dumps({"error": f"{password} refused"}).encode()),
                   tls) as stub:
        result = check("--metrics-url", stub.url.replace("//", f"//jam:{password}@"), "--ca-file", ca_file)
    assert result.exit_code == 2 and "(*** refused)" in result.stderr and password not in result.output


# --- usage errors -------------------------------------------------------------------------------

def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(("options", "message"), [
    (lambda t: ["--bearer-token-file", str(t / "absent")], "absent: no such file"),
    (lambda t: ["--bearer-token-file", str(t)], "cannot be read: Is a directory"),
    (lambda t: ["--bearer-token-file", write(t, "empty", " \n")], "empty: the file is empty"),
    (lambda t: ["--bearer-token-file", write(t, "two", f"Bearer {TOKEN}\n")], "the token holds whitespace"),
    (lambda t: ["--header", f"Authorization Bearer {TOKEN}"], "the header is not 'Name: value'"),
    (lambda t: ["--header", "A: 1", "--header", f"{TOKEN}"], "header 2 of 2 is not 'Name: value'"),
    (lambda t: ["--header", f"X Y: {TOKEN}"], "is not 'Name: value'"),
    (lambda t: ["--header", "X-Scope-OrgID:  "], "X-Scope-OrgID has no value"),
    (lambda t: ["--header", f"X-Key: {TOKEN}\r\nX-Other: 1"], "X-Key's value holds a line break"),
    (lambda t: ["--header", "X-Scope-OrgID: t\u00e9nant"], "X-Scope-OrgID's value holds a line break, another"),
    (lambda t: ["--bearer-token-file", write(t, "accent", "t\u00e9")], "accent: the token holds whitespace"),
    (lambda t: ["--header", "X-Scope-OrgID: a", "--header", "x-scope-orgid: b"], "x-scope-orgid is given twice"),
    (lambda t: ["--header", "Accept: text/html"], "Accept is set by jamdash itself"),
    (lambda t: ["--header", f"Authorization: Bearer {TOKEN}", "--bearer-token-file", write(t, "t", TOKEN)],
     "an Authorization header and --bearer-token-file: give one"),
    (lambda t: ["--ca-file", str(t / "absent.pem")], "absent.pem: no such file"),
    (lambda t: ["--ca-file", write(t, "ca.pem", "not a certificate\n")], "ca.pem: not a bundle of PEM certificates"),
    (lambda t: ["--ca-file", write(t, "ca.pem", ""), "--insecure-skip-verify"],
     "--ca-file and --insecure-skip-verify: give one"),
], ids=["token-absent", "token-directory", "token-empty", "token-two-words", "header-no-colon",
        "header-second", "header-name", "header-no-value", "header-line-break", "header-not-ascii", "token-not-ascii", "header-twice", "header-reserved", "two-authorizations",
        "ca-absent", "ca-not-pem", "ca-and-insecure"])
def test_bad_options_exit_2_naming_the_option_never_the_secret(options: Callable[[Path], list[str]], message: str,
                                                                tmp_path: Path) -> None:
    result = check("--metrics-url", "https://127.0.0.1:9/metrics", *options(tmp_path))
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert "Error: Invalid value for --" in result.stderr and message in result.stderr, result.stderr
    assert TOKEN not in result.stderr


@pytest.mark.parametrize(("options", "message"), [
    (lambda f: ["--key-file", f.key], "--key-file: --key-file without --cert-file: give the client certificate too"),
    (lambda f: ["--cert-file", f.cert + ".absent", "--key-file", f.key],
     "--cert-file: {tmp}/client.pem.absent: no such file"),
    (lambda f: ["--cert-file", str(Path(f.cert).parent)], "--cert-file: {tmp}: cannot be read: Is a directory"),
    (lambda f: ["--cert-file", f.key, "--key-file", f.cert],
     "--cert-file: {tmp}/client-key.pem: holds no PEM certificate"),
    (lambda f: ["--cert-file", f.cert],
     "--cert-file: {tmp}/client.pem: holds no PEM private key: give it with --key-file"),
    (lambda f: ["--cert-file", f.cert, "--key-file", f.key + ".absent"],
     "--key-file: {tmp}/client-key.pem.absent: no such file"),
    (lambda f: ["--cert-file", f.cert, "--key-file", f.cert], "--key-file: {tmp}/client.pem: not a PEM private key"),
    (lambda f: ["--cert-file", f.cert, "--key-file", f.other_key],
     "--key-file: {tmp}/other-key.pem: the private key is not the one of the certificate in {tmp}/client.pem"),
    (lambda f: ["--cert-file", f.cert, "--key-file", f.encrypted_key],
     "--key-file: {tmp}/client-key-encrypted.pem: the private key is encrypted: give it unencrypted"),
    (lambda f: ["--cert-file", f.both, "--ca-file", f.cert + ".absent"],
     "--ca-file: {tmp}/client.pem.absent: no such file"),
], ids=["key-without-cert", "cert-absent", "cert-directory", "cert-is-a-key", "cert-without-key", "key-absent",
        "key-is-a-cert", "key-of-another-cert", "key-encrypted", "with-ca-absent"])
def test_bad_client_certificates_exit_2_naming_the_file_never_the_key(options: Callable[[ClientFiles], list[str]],
                                                                     message: str, client_files: ClientFiles,
                                                                     tmp_path: Path) -> None:
    result = check("--metrics-url", "https://127.0.0.1:9/metrics", *options(client_files))
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    said = " ".join(result.stderr.split())
    assert f"Error: Invalid value for {message.format(tmp=tmp_path)}" in said, result.stderr
    key_lines = {line for name in ("client-key.pem", "other-key.pem", "client-key-encrypted.pem")
                 for line in (tmp_path / name).read_text().splitlines() if "-----" not in line}
    assert [line for line in key_lines if line in result.stderr] == [] and "PRIVATE KEY" not in result.stderr


def test_basic_authentication_and_a_bearer_token_together_is_a_usage_error(token_file: str) -> None:
    for url_option in ("--metrics-url", "--prometheus-url"):
        result = check(url_option, "https://jam:s3cret@127.0.0.1:9", "--bearer-token-file", token_file)
        assert result.exit_code == 2 and "a URL with user:password (basic authentication) and a bearer token" \
            in result.stderr, result.stderr
        assert "s3cret" not in result.stderr


# --- a real Prometheus over TLS -----------------------------------------------------------------

@pytest.mark.slow
def test_a_real_prometheus_served_over_tls(ca: trustme.CA, ca_file: str, tmp_path: Path) -> None:
    """Prometheus' own TLS (--web.config.file) with the generated rules and no target: read through the CA
    bundle, every group is loaded (no live-group-missing) and every series is absent (the absence alerts
    may be pending: information only)."""
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with prometheus(tmp_path, targets=[], rule_files=RULE_FILES, tls=ca) as prom:
        prom.wait_for_rules()
        verified = check("--prometheus-url", prom.url, "--ca-file", ca_file, "--format", "json")
        unverified = check("--prometheus-url", prom.url, "--insecure-skip-verify", "--format", "json")
        untrusted = check("--prometheus-url", prom.url, "--ca-file", str(other))
    assert prom.url.startswith("https://")
    assert verified.exit_code == unverified.exit_code == 1, verified.output
    assert errors(verified) == errors(unverified) == {"live-series-absent", "live-recorded-absent"}
    assert untrusted.exit_code == 2 and untrusted.stderr.startswith(
        f"error: {prom.url}/api/v1/rules: TLS: the server's certificate is not trusted ("), untrusted.stderr
