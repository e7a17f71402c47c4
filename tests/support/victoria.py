"""Debian's VictoriaMetrics for end-to-end tests: the store, a vmagent per cluster, and vmalert.

Like tests/support/servers.py, each listens on 127.0.0.1 on a free port, keeps its data in a
temporary folder and is always stopped:

    with victoria_metrics(tmp) as vm, \\
            vmagent(tmp, "a", targets=[jam.target], remote_write=vm.write_url), \\
            vmalert(tmp, rule_files, vm, notifier=am.url) as alerts:
        vm.query('count by (cluster) (up)')
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from conftest import require_tool
from pg import free_port
from servers import JOB, LOOPBACK, _Process, http_json, wait_until

SCRAPE_INTERVAL = "1s"
FLUSH_INTERVAL = 0.5  # seconds between forced flushes (see victoria_metrics)


class PromApi:
    """A Prometheus-compatible HTTP API: VictoriaMetrics' query API, or vmalert's rules and alerts."""

    def __init__(self, url: str, process: _Process) -> None:
        self.url = url
        self.process = process

    def api(self, path: str, **params: str) -> Any:
        """The `data` of a /api/v1 answer; ValueError on an API error."""
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        body = http_json(f"{self.url}/api/v1/{path}{query}", timeout=10)
        if body.get("status") != "success":
            raise ValueError(f"{path}: {body}")
        return body["data"]


class VictoriaMetrics(PromApi):
    @property
    def write_url(self) -> str:
        """Where vmagent and vmalert remote-write."""
        return f"{self.url}/api/v1/write"

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's result (a list of {metric, value})."""
        result: list[dict[str, Any]] = self.api("query", query=expr)["result"]
        return result


class VmAlert(PromApi):
    def rules(self) -> list[dict[str, Any]]:
        return [rule for group in self.api("rules")["groups"] for rule in group["rules"]]

    def alerts(self) -> list[dict[str, Any]]:
        """Pending and firing alerts, each with its labels, state and value."""
        alerts: list[dict[str, Any]] = self.api("alerts")["alerts"]
        return alerts


@contextmanager
def victoria_metrics(tmp: Path) -> Iterator[VictoriaMetrics]:
    """Single-node VictoriaMetrics; queries see samples as soon as they arrive (no latency offset, no cache).

    A new series only becomes searchable when VictoriaMetrics next registers the hour's new series, up
    to 10s after its first sample (a recorded series of a recorded series: twice that); a thread asks
    for that flush (/internal/force_flush) every FLUSH_INTERVAL, so every query, vmalert's too, sees
    new series about a second after they arrive.
    """
    folder = tmp / "victoria-metrics"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = _Process("victoria-metrics", [
        require_tool("victoria-metrics"), f"-httpListenAddr={LOOPBACK}:{port}", f"-storageDataPath={folder / 'data'}",
        "-retentionPeriod=1d", "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=WARN",
    ], folder / "victoria-metrics.log")
    server = VictoriaMetrics(f"http://{LOOPBACK}:{port}", process)
    with process.serving(f"{server.url}/health", 30, "victoria-metrics to be ready"), _flushing(server):
        yield server


@contextmanager
def _flushing(server: VictoriaMetrics) -> Iterator[None]:
    """Force a flush of recently ingested data every FLUSH_INTERVAL while the block runs."""
    stop = threading.Event()

    def flush() -> None:
        while not stop.wait(FLUSH_INTERVAL):
            try:
                urllib.request.urlopen(f"{server.url}/internal/force_flush", timeout=5).close()
            except OSError:  # stopping, or busy: the next round flushes
                pass

    thread = threading.Thread(target=flush, name="victoria-metrics flush", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def vmagent(tmp: Path, cluster: str, targets: Sequence[str], remote_write: str, cluster_label: str = "cluster",
            ) -> Iterator[None]:
    """One cluster's scraper: scrapes targets as job 'jam' every second and remote-writes every series (up
    included) with cluster_label=cluster added."""
    folder = tmp / f"vmagent-{cluster}"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "scrape.yml"
    config.write_text(yaml.safe_dump({
        "global": {"scrape_interval": SCRAPE_INTERVAL, "scrape_timeout": SCRAPE_INTERVAL},
        "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": list(targets)}]}],
    }))
    port = free_port()
    process = _Process(f"vmagent {cluster}", [
        require_tool("vmagent"), f"-httpListenAddr={LOOPBACK}:{port}", f"-promscrape.config={config}",
        f"-remoteWrite.url={remote_write}", f"-remoteWrite.label={cluster_label}={cluster}",
        f"-remoteWrite.tmpDataPath={folder / 'queue'}", "-remoteWrite.flushInterval=1s", "-loggerLevel=WARN",
    ], folder / "vmagent.log")
    with process.serving(f"http://{LOOPBACK}:{port}/health", 30, f"vmagent {cluster} to be ready"):
        yield


@contextmanager
def vmalert(tmp: Path, rule_files: Sequence[Path], store: VictoriaMetrics, notifier: str) -> Iterator[VmAlert]:
    """vmalert evaluating rule_files against store every second, writing recorded series and alert
    state back to it, and notifying the Alertmanager at notifier."""
    folder = tmp / "vmalert"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = _Process("vmalert", [
        require_tool("vmalert"), f"-httpListenAddr={LOOPBACK}:{port}", *(f"-rule={p}" for p in rule_files),
        f"-datasource.url={store.url}", f"-remoteWrite.url={store.url}", f"-notifier.url={notifier}",
        "-evaluationInterval=1s", "-remoteWrite.flushInterval=1s", "-loggerLevel=WARN",
    ], folder / "vmalert.log")
    server = VmAlert(f"http://{LOOPBACK}:{port}", process)
    with process.serving(f"{server.url}/health", 30, "vmalert to be ready"):
        wait_until(lambda: server.process.check_alive() or server.rules(), 30, "vmalert to load its rules")
        yield server
