"""The service in a subprocess on a free loopback port: a real traffic source for end-to-end tests.

    from jamdash.service.launch import launched

    with launched("faulty") as jam:            # or launched(faults=["rate_limited"])
        prometheus_targets = [jam.target]      # "127.0.0.1:PORT", serving /metrics
        jam.set_faults("process_failures")     # switch faults while it runs; none is healthy

It runs ``jamdash demo`` (so exactly what a user runs) and is always stopped, even when the
test fails. The object offers what tests/servers.py's simulated TrafficSource offers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jamdash.service.runner import FAULTS_PATH

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port free a moment ago on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


class RunningService:
    """A service started by ``launched``."""

    def __init__(self, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
        self.port = port
        self.process = process
        self.log = log
        self.url = f"http://{LOOPBACK}:{port}"

    @property
    def target(self) -> str:
        """host:port, as a Prometheus static target."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"{self.url}/metrics"

    def set_faults(self, *faults: str) -> list[str]:
        """Switch to exactly these faults (none: healthy); the faults now active."""
        return self._faults(",".join(faults).encode())

    def faults(self) -> list[str]:
        return self._faults(None)

    def _faults(self, body: bytes | None) -> list[str]:
        request = urllib.request.Request(f"{self.url}{FAULTS_PATH}", data=body,
                                         method="POST" if body is not None else "GET")
        with urllib.request.urlopen(request, timeout=5) as response:
            active: list[str] = json.loads(response.read())
            return active

    def tail(self, lines: int = 40) -> str:
        """The end of the service's output, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _ready(service: RunningService) -> bool:
    try:
        with urllib.request.urlopen(f"{service.url}/system/status", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def launched(profile: str = "healthy", *, faults: Iterable[str] | None = None, store: str = "memory",
             dsn: str | None = None, cleanup_interval: float = 2.0, duration: float = 600.0,
             log: Path | None = None, start_timeout: float = 30.0, port: int | None = None) -> Iterator[RunningService]:
    """Start ``jamdash demo`` on ``port`` (default: a free one) with a profile (or exactly ``faults``); stop it
    afterwards. A scraper can be given the port first, and start while the service does."""
    port = port or free_port()
    argv = [sys.executable, "-m", "jamdash.cli", "demo", "--port", str(port), "--profile", profile,
            "--store", store, "--cleanup-interval", str(cleanup_interval), "--duration", str(duration)]
    if faults is not None:
        argv += ["--faults", ",".join(faults)]
    if dsn is not None:
        argv += ["--dsn", dsn]
    log = log or Path(tempfile.mkstemp(prefix="jam-service-", suffix=".log")[1])
    with log.open("wb") as output:
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    service = RunningService(port, process, log)
    try:
        deadline = time.monotonic() + start_timeout
        while not _ready(service):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the JAM service did not start (exit code {process.poll()}):\n{service.tail()}")
            time.sleep(0.1)
        yield service
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
