"""Real servers for end-to-end tests: Debian's Prometheus and a simulated JAM process.

Minimal stand-in, with the same API, for the fuller fixture module of the rules branch (which adds
Alertmanager, a webhook receiver and fault injection); when that lands, it replaces this file.
Everything listens on 127.0.0.1 on a free port, keeps its data in a temporary folder and is always
stopped, even when the test fails.

    with traffic_source(tmp) as jam, prometheus(tmp, targets=[jam.target]) as prom:
        prom.wait_for_scrape()
        prom.query('sum(rate(jam_package_process_total[1m]))')
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import GENERATED, SPEC, require_tool

from jamdash.model import Model
from jamdash.pipeline import build

HERE = Path(__file__).resolve().parent
LOOPBACK = "127.0.0.1"
JOB = "jam"
T = TypeVar("T")


def free_port() -> int:
    """A TCP port that was free a moment ago on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], T | None], timeout: float, what: str, interval: float = 0.25) -> T:
    """Poll check until it returns something truthy; fail the test naming what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError):  # not up yet, or a partial answer
            pass
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


def http_json(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class _Process:
    """A child process logging to a file; always stopped by stop()."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.proc = subprocess.Popen(argv, stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env)

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            self._log_file.flush()
            pytest.fail(f"{self.name} exited with code {self.proc.returncode}:\n{self.log.read_text()[-2000:]}")

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

    def __init__(self, url: str, process: _Process) -> None:
        self.url = url
        self.process = process

    def api(self, path: str, **params: str) -> Any:
        """The `data` of a /api/v1 answer; ValueError on an API error."""
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        body = http_json(f"{self.url}/api/v1/{path}{query}")
        if body.get("status") != "success":
            raise ValueError(f"{path}: {body}")
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's result (a list of {metric, value})."""
        result: list[dict[str, Any]] = self.api("query", query=expr)["result"]
        return result

    def wait_for_scrape(self, timeout: float = 20) -> None:
        """Wait until every target is up and has been scraped at least twice (so rates exist)."""
        wait_until(lambda: self.query(f"count_over_time(up{{job='{JOB}'}}[1m]) >= 2"), timeout,
                   "every scrape target to be scraped twice")


@contextmanager
def prometheus(tmp: Path, targets: Sequence[str], rule_files: Sequence[Path] = (),
               scrape_interval: str = "1s", evaluation_interval: str = "1s") -> Iterator[Prometheus]:
    """Debian's prometheus on a free loopback port, scraping targets (host:port) as job 'jam'."""
    binary = require_tool("prometheus")
    folder = tmp / "prometheus"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prometheus.yml"
    config.write_text(json.dumps({  # JSON is YAML
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": evaluation_interval,
                   "scrape_timeout": scrape_interval},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": list(targets)}]}],
    }))
    port = free_port()
    process = _Process("prometheus", [
        binary, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}",
        f"--web.listen-address={LOOPBACK}:{port}", "--log.level=warn",
    ], folder / "prometheus.log")
    server = Prometheus(f"http://{LOOPBACK}:{port}", process)
    try:
        wait_until(lambda: process.check_alive() or _ready(f"{server.url}/-/ready"), 30, "prometheus to be ready")
        yield server
    finally:
        process.stop()


def traffic_plan(model: Model, bounded_values: int = 2) -> list[dict[str, Any]]:
    """What jam_traffic.py drives: every metric, every closed label value, a few values of bounded labels."""
    plan = []
    for m in model.metrics:
        if m.synthetic:
            continue
        values = [list(label.values) if label.closed else [str(i) for i in range(1, bounded_values + 1)]
                  for label in m.labels]
        plan.append({
            "attr": m.name, "type": m.type, "buckets": list(m.buckets),
            "keys": [list(k) for k in itertools.product(*values)],
            "timestamp": m.type == "gauge" and m.name.endswith("_timestamp_seconds"),
            "value": 100 if m.name.startswith(f"{model.service}_config_") else None,
        })
    return plan


class TrafficSource:
    """The simulated JAM process (tests/jam_traffic.py) serving /metrics."""

    def __init__(self, port: int, process: _Process) -> None:
        self.port = port
        self.process = process
        self.url = f"http://{LOOPBACK}:{port}"

    @property
    def target(self) -> str:
        """host:port of /metrics, as a Prometheus static target."""
        return f"{LOOPBACK}:{self.port}"


@contextmanager
def traffic_source(tmp: Path, metrics_dir: Path = GENERATED / "python") -> Iterator[TrafficSource]:
    """Start tests/jam_traffic.py in a subprocess; it imports the generated jam_metrics from metrics_dir."""
    model = build(str(SPEC)).model
    assert model is not None
    port = free_port()
    folder = tmp / "traffic"
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(metrics_dir), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, str(HERE / "jam_traffic.py"), str(port), json.dumps(traffic_plan(model))]
    process = _Process("traffic source", argv, folder / "traffic.log", env)
    source = TrafficSource(port, process)
    try:
        wait_until(lambda: process.check_alive() or _ready(f"{source.url}/metrics"), 20, "the traffic source")
        yield source
    finally:
        process.stop()
