"""Real servers for end-to-end tests: Prometheus, Alertmanager, a webhook receiver and traffic sources.

Everything listens on 127.0.0.1 on a free port, keeps its data in a temporary folder and is
always stopped, even when the test fails. Each server is a context manager:

    with traffic_source(tmp_path) as jam, prometheus(tmp_path, targets=[jam.target],
                                             rule_files=[...]) as prom:
        prom.wait_for_scrape()
        prom.query('sum(rate(jam_package_process_total[10s]))')

The scrape target is only an address (``host:port`` serving ``/metrics``), so the reference
JAM service can replace the simulated traffic source without changing the Prometheus fixture.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
import yaml

from conftest import GENERATED, require_tool
from pg import free_port

if TYPE_CHECKING:
    import trustme

    from jamdash.service.launch import RunningService

HERE = Path(__file__).resolve().parent
LOOPBACK = "127.0.0.1"
JOB = "jam"  # the scrape job of the JAM targets; the spec's alerting.job must match
T = TypeVar("T")
SHUTDOWN_POLL = 0.02  # seconds between a loopback server's checks for shutdown (see _serving)


def wait_until(check: Callable[[], T | None], timeout: float, what: str, interval: float = 0.25) -> T:
    """Poll check until it returns something truthy; fail the test naming what was awaited."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError) as exc:  # server not up yet, or a partial answer
            last_error = exc
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def enter_together(exits: ExitStack, managers: Sequence[AbstractContextManager[Any]]) -> list[Any]:
    """Enter independent servers' context managers side by side, one thread each, so their start-up waits
    overlap; their values in order. Each one that started is stopped with `exits`, even when another
    failed to start, whose failure is then raised."""
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    values: list[Any] = []
    failures: list[BaseException] = []
    for manager, future in zip(managers, futures):
        try:
            values.append(future.result())
        except BaseException as exc:  # noqa: BLE001 (pytest.fail's too): raised once every started one is held
            failures.append(exc)
        else:
            exits.push(manager.__exit__)
    if failures:
        raise failures[0]
    return values


def loopback_port() -> tuple[int, str]:
    """A free loopback port for a server to come, and its host:port as a Prometheus target."""
    port = free_port()
    return port, f"{LOOPBACK}:{port}"


def http_json(url: str, data: bytes | None = None, timeout: float = 5, tls: ssl.SSLContext | None = None) -> Any:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout, context=tls) as response:
        return json.loads(response.read() or b"null")


class _Process:
    """A child process whose output goes to a log file that failures quote."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.proc = subprocess.Popen(argv, stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env)

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"{self.name} exited with code {self.proc.returncode}:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    @contextmanager
    def serving(self, ready_url: str, timeout: float, what: str, tls: ssl.SSLContext | None = None) -> Iterator[None]:
        """Wait until ready_url answers 200 (failing at once if the process exits), then run the block; stop after."""
        try:
            wait_until(lambda: self.check_alive() or _ready(ready_url, tls), timeout, what)
            yield
        finally:
            self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log_file.close()


class Prometheus:
    """A running Prometheus and its HTTP API."""

    def __init__(self, url: str, process: _Process, config: Path, tls: ssl.SSLContext | None = None) -> None:
        self.url = url
        self.process = process
        self.config = config
        self.tls = tls  # the client context of an https:// url

    def api(self, path: str, **params: str) -> Any:
        """The `data` of a /api/v1 answer; fails the test on an API error."""
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        body = http_json(f"{self.url}/api/v1/{path}{query}", tls=self.tls)
        if body.get("status") != "success":
            raise ValueError(f"{path}: {body}")
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's result (a list of {metric, value})."""
        data = self.api("query", query=expr)
        result: list[dict[str, Any]] = data["result"]
        return result

    def rule_groups(self) -> list[dict[str, Any]]:
        groups: list[dict[str, Any]] = self.api("rules")["groups"]
        return groups

    def alerts(self) -> list[dict[str, Any]]:
        """Pending and firing alerts."""
        alerts: list[dict[str, Any]] = self.api("alerts")["alerts"]
        return alerts

    def alert_state(self, name: str) -> str:
        """'firing', 'pending' or 'inactive' for an alert rule, over all its series."""
        states = {a["state"] for a in self.alerts() if a["labels"].get("alertname") == name}
        return "firing" if "firing" in states else "pending" if "pending" in states else "inactive"

    def wait_for_scrape(self, timeout: float = 20) -> None:
        """Wait until every target is up and has been scraped successfully at least twice (so rates exist)."""
        def scraped() -> bool:
            targets = self.api("targets", state="active")["activeTargets"]
            return bool(targets) and all(t["health"] == "up" for t in targets) and \
                bool(self.query(f"sum_over_time(up{{job='{JOB}'}}[1m]) >= 2"))
        wait_until(scraped, timeout, "every scrape target to be up")

    def wait_for_rules(self, timeout: float = 20) -> list[dict[str, Any]]:
        """Wait until every rule has been evaluated once; return the rule groups."""
        def evaluated() -> list[dict[str, Any]] | None:
            groups = self.rule_groups()
            rules = [r for g in groups for r in g["rules"]]
            ready = rules and all(not r["lastEvaluation"].startswith("0001") for r in rules)
            return groups if ready else None
        return wait_until(evaluated, timeout, "every rule to be evaluated")


def prometheus_config(targets: Sequence[str], rule_files: Sequence[Path], alertmanager: str | None,
                      scrape_interval: str, evaluation_interval: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": evaluation_interval,
                   "scrape_timeout": scrape_interval},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": list(targets)}]}],
    }
    if alertmanager:
        config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
    return config


@contextmanager
def prometheus(tmp: Path, targets: Sequence[str], rule_files: Sequence[Path] = (), alertmanager: str | None = None,
               scrape_interval: str = "1s", evaluation_interval: str = "1s", tls: trustme.CA | None = None,
               ) -> Iterator[Prometheus]:
    """Debian's prometheus on a free loopback port, scraping targets (host:port) as job 'jam'; with tls, it
    serves HTTPS with a certificate for 127.0.0.1 issued by that CA (its web config file).

    Prometheus passes its targets to the scraper every 5s only, the first time 5s after it starts: start
    it before its targets (give them a port, see loopback_port) so that wait and theirs overlap."""
    binary = require_tool("prometheus")
    folder = tmp / "prometheus"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prometheus.yml"
    config.write_text(yaml.safe_dump(prometheus_config(targets, rule_files, alertmanager, scrape_interval,
                                                       evaluation_interval)))
    port = free_port()
    process = _Process("prometheus", [
        binary, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}",
        f"--web.listen-address={LOOPBACK}:{port}", "--web.enable-lifecycle", "--log.level=warn",
        "--rules.alert.resend-delay=1s", "--storage.tsdb.retention.time=1h",
        *([f"--web.config.file={_web_tls(folder, tls)}"] if tls else []),
    ], folder / "prometheus.log")
    client = None
    if tls is not None:
        client = ssl.create_default_context()
        tls.configure_trust(client)
    server = Prometheus(f"{'https' if tls else 'http'}://{LOOPBACK}:{port}", process, config, client)
    with process.serving(f"{server.url}/-/ready", 30, "prometheus to be ready", client):
        yield server


def _web_tls(folder: Path, ca: trustme.CA) -> Path:
    """A Prometheus web config file serving a certificate for 127.0.0.1 issued by ca."""
    leaf = ca.issue_cert(LOOPBACK)
    chain, key, web = folder / "tls.crt", folder / "tls.key", folder / "web.yml"
    chain.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(str(key))
    web.write_text(yaml.safe_dump({"tls_server_config": {"cert_file": str(chain), "key_file": str(key)}}))
    return web


class Alertmanager:
    def __init__(self, url: str, process: _Process) -> None:
        self.url = url
        self.process = process

    @property
    def address(self) -> str:
        """host:port, as Prometheus' alerting config wants it."""
        return self.url.removeprefix("http://")

    def alerts(self, alertname: str | None = None) -> list[dict[str, Any]]:
        """The alerts Alertmanager holds (active, suppressed), each with status.state and status.inhibitedBy."""
        query = "?" + urllib.parse.urlencode({"filter": f'alertname="{alertname}"'}) if alertname else ""
        alerts: list[dict[str, Any]] = http_json(f"{self.url}/api/v2/alerts{query}")
        return alerts

    def post(self, *alerts: dict[str, str]) -> None:
        """Send firing alerts with these labels, as Prometheus would."""
        http_json(f"{self.url}/api/v2/alerts", data=json.dumps([{"labels": a} for a in alerts]).encode())

    def state(self, alertname: str) -> str | None:
        """'active', 'suppressed' or 'unprocessed' when every alert of that name is in it; None otherwise."""
        states = {a["status"]["state"] for a in self.alerts(alertname)}
        return states.pop() if len(states) == 1 else None


def generated_config(path: Path, webhook_url: str) -> dict[str, Any]:
    """A generated Alertmanager configuration with every placeholder receiver posting to the webhook, and
    notifications sent at once rather than after the default 30s group_wait."""
    config: dict[str, Any] = yaml.safe_load(path.read_text())
    config["route"].update(group_wait="0s", group_interval="1s", repeat_interval="1h")
    config["receivers"] = [{**r, "webhook_configs": [{"url": webhook_url, "send_resolved": False}]}
                           for r in config["receivers"]]
    return config


@contextmanager
def alertmanager(tmp: Path, webhook_url: str, config: dict[str, Any] | None = None) -> Iterator[Alertmanager]:
    """Debian's prometheus-alertmanager on a free loopback port, with config (see generated_config), or
    routing every alert to webhook_url."""
    binary = require_tool("prometheus-alertmanager", "alertmanager")
    folder = tmp / "alertmanager"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config or {
        "route": {"receiver": "webhook", "group_by": ["alertname"], "group_wait": "0s",
                  "group_interval": "1s", "repeat_interval": "1h"},
        "receivers": [{"name": "webhook", "webhook_configs": [{"url": webhook_url, "send_resolved": False}]}],
    }))
    port = free_port()
    process = _Process("alertmanager", [
        binary, f"--config.file={path}", f"--storage.path={folder / 'data'}",
        f"--web.listen-address={LOOPBACK}:{port}", "--cluster.listen-address=", "--log.level=warn",
    ], folder / "alertmanager.log")
    server = Alertmanager(f"http://{LOOPBACK}:{port}", process)
    with process.serving(f"{server.url}/-/ready", 30, "alertmanager to be ready"):
        yield server


class WebhookReceiver:
    """Collects the alerts Alertmanager posts to it."""

    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.notifications.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}/alerts"

    def alerts(self) -> list[dict[str, Any]]:
        with self._lock:
            return [alert for n in self.notifications for alert in n.get("alerts", [])]

    def receivers_of(self, alertname: str) -> set[str]:
        """The receivers that were notified of an alert of that name."""
        with self._lock:
            return {n["receiver"] for n in self.notifications
                    if any(a["labels"].get("alertname") == alertname for a in n.get("alerts", []))}

    def wait_for(self, alertname: str, timeout: float = 30) -> dict[str, Any]:
        """The first notified alert with that name."""
        return wait_until(lambda: next((a for a in self.alerts() if a["labels"].get("alertname") == alertname), None),
                          timeout, f"{alertname} to reach the webhook receiver")


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[None]:
    """Serve in a daemon thread while the block runs; shut down and close after, even on failure.

    The serving loop checks for shutdown every SHUTDOWN_POLL seconds (socketserver's default, 0.5s, is
    what each stop would wait)."""
    thread = threading.Thread(target=server.serve_forever, args=(SHUTDOWN_POLL,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    with _serving(receiver.server):
        yield receiver


# status, Content-Type, body and, optionally, more headers (a redirect's Location)
Answer = tuple[int, str, bytes] | tuple[int, str, bytes, dict[str, str]]


class HttpStub:
    """A loopback HTTP server answering every GET and POST with what `answer` returns for the request's
    headers (a drifted exposition, a canned error); it keeps the headers of every request. With tls (a
    server-side context holding a certificate for 127.0.0.1), it serves HTTPS."""

    def __init__(self, answer: Callable[[dict[str, str]], Answer], tls: ssl.SSLContext | None = None) -> None:
        self.answer = answer
        self.requests: list[dict[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                headers = {k.lower(): v for k, v in self.headers.items()}
                stub.requests.append(headers)
                status, content_type, body, *extra = stub.answer(headers)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client refusing the certificate ends the handshake: expected, not worth a traceback

        self.server = Server((LOOPBACK, 0), Handler) if tls else ThreadingHTTPServer((LOOPBACK, 0), Handler)
        if tls is not None:  # the handshake happens in the request's thread, not in the accepting loop
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
        self.url = f"{'https' if tls else 'http'}://{LOOPBACK}:{self.server.server_address[1]}"

    @property
    def target(self) -> str:
        """host:port, as a Prometheus static target."""
        return self.url.split("://", 1)[1]


@contextmanager
def http_stub(answer: Callable[[dict[str, str]], Answer], tls: ssl.SSLContext | None = None) -> Iterator[HttpStub]:
    stub = HttpStub(answer, tls)
    with _serving(stub.server):
        yield stub


class TrafficSource:
    """The simulated JAM process (tests/support/traffic_source.py): serves /metrics, takes faults over HTTP."""

    def __init__(self, port: int, process: _Process) -> None:
        self.port = port
        self.process = process
        self.url = f"http://{LOOPBACK}:{port}"

    @property
    def target(self) -> str:
        """host:port of /metrics, as a Prometheus static target."""
        return f"{LOOPBACK}:{self.port}"

    def set_faults(self, *faults: str) -> None:
        """Switch the simulation: no faults is healthy traffic; see traffic_source.FAULTS."""
        http_json(f"{self.url}/faults", data=",".join(faults).encode())

    def faults(self) -> list[str]:
        answer: list[str] = http_json(f"{self.url}/faults")
        return answer


@contextmanager
def traffic_source(tmp: Path, *faults: str, metrics_dir: Path = GENERATED / "python", port: int | None = None,
                   ) -> Iterator[TrafficSource]:
    """Start tests/support/traffic_source.py in a subprocess on port (default: a free one); it imports the
    generated jam_metrics from metrics_dir."""
    port = port or free_port()
    folder = tmp / "traffic"
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(metrics_dir)}
    argv = [sys.executable, str(HERE / "traffic_source.py"), "--port", str(port), "--faults", ",".join(faults)]
    process = _Process("traffic source", argv, folder / "traffic.log", env)
    source = TrafficSource(port, process)
    with process.serving(f"{source.url}/metrics", 20, "the traffic source"):
        yield source


@contextmanager
def jam_service(tmp: Path, *faults: str, store: str = "memory", dsn: str | None = None, port: int | None = None,
                ) -> Iterator[RunningService]:
    """The reference JAM service (``jamdash demo`` in a subprocess, on port or a free one) as a traffic source.

    It offers what TrafficSource offers (``target``, ``url``, ``set_faults``, ``faults``), with the
    same fault names, but every number comes from real requests handled by the real service.
    """
    from jamdash.service.launch import launched  # imports the generated modules: only when used

    folder = tmp / "jam-service"
    folder.mkdir(parents=True, exist_ok=True)
    with launched(faults=faults, store=store, dsn=dsn, cleanup_interval=1.0, log=folder / "service.log",
                  port=port) as service:
        yield service


def _ready(url: str, tls: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2, context=tls) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False

