"""Real servers for end-to-end tests: a simulated JAM process and Debian's Prometheus scraping it.

Loopback only, free ports, temporary directories, short intervals; every process is stopped on exit,
whatever happens in between. Shared by the dashboards and rules end-to-end tests.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from jamdash.model import Model

TESTS = Path(__file__).resolve().parent
T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(probe: Callable[[], T | None], timeout: float, what: str, interval: float = 0.2) -> T:
    """Poll probe until it returns something other than None (or falsy); fail naming what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:g}s waiting for {what}")
        time.sleep(interval)


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


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _get(url: str, timeout: float = 5, error_body: bool = False) -> bytes | None:
    """The response body; None when unreachable or, unless error_body, on an HTTP error status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:  # the query API answers 4xx with a JSON error body
        return bytes(exc.read()) if error_body else None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@contextmanager
def jam_app(model: Model, generated_python: Path) -> Iterator[str]:
    """A process exporting the generated metrics under simulated traffic; yields its host:port."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated_python), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(TESTS / "jam_traffic.py"), str(port), json.dumps(traffic_plan(model))],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    def ready() -> bytes | None:
        if proc.poll() is not None:
            raise RuntimeError(f"the JAM app exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        return _get(f"http://127.0.0.1:{port}/metrics")

    try:
        wait_for(ready, 15, "the JAM app's /metrics")
        yield f"127.0.0.1:{port}"
    finally:
        _stop(proc)


class Prometheus:
    """A running Prometheus: its URL and the parts of the HTTP API the tests use."""

    def __init__(self, url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.proc = proc
        self.log = log

    def api(self, path: str, **params: str | Sequence[str]) -> Any:
        query = urllib.parse.urlencode(params, doseq=True)
        body = _get(f"{self.url}/api/v1/{path}?{query}", timeout=10, error_body=True)
        if body is None:
            raise RuntimeError(f"Prometheus did not answer /api/v1/{path}; log:\n{self.log.read_text()[-2000:]}")
        reply = json.loads(body)
        if reply.get("status") != "success":
            raise ValueError(f"{reply.get('errorType')}: {reply.get('error')}")
        return reply["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's samples, each {"metric": ..., "value": [time, "value"]}; a scalar is one sample."""
        data = self.api("query", query=expr)
        result = data["result"]
        return [{"metric": {}, "value": result}] if data["resultType"] in ("scalar", "string") else list(result)


@contextmanager
def prometheus(binary: str, targets: Sequence[str], rule_files: Sequence[Path] = (), job: str = "jam",
               interval: str = "1s") -> Iterator[Prometheus]:
    """Prometheus on a free loopback port with a temporary data directory, scraping targets every interval."""
    with tempfile.TemporaryDirectory(prefix="jamdash-prometheus-") as tmp:
        root = Path(tmp)
        config = {
            "global": {"scrape_interval": interval, "evaluation_interval": interval, "scrape_timeout": interval},
            "rule_files": [str(p) for p in rule_files],
            "scrape_configs": [{"job_name": job, "static_configs": [{"targets": list(targets)}]}],
        }
        (root / "prometheus.yml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
        port = free_port()
        log = root / "prometheus.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([
                binary, f"--config.file={root / 'prometheus.yml'}", f"--storage.tsdb.path={root / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            ], stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: proc.poll() is None and _get(f"{url}/-/ready"), 30, "Prometheus to be ready")
            yield Prometheus(url, proc, log)
        finally:
            _stop(proc)
