"""The end-to-end fixtures themselves: a real Prometheus scrapes the simulated JAM process,
and Alertmanager delivers to the loopback webhook receiver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servers import alertmanager, http_json, loopback_port, prometheus, traffic_source, wait_until, webhook_receiver

pytestmark = pytest.mark.slow


def test_prometheus_scrapes_the_traffic_source_and_faults_switch(tmp_path: Path) -> None:
    port, target = loopback_port()
    with prometheus(tmp_path, targets=[target]) as prom, traffic_source(tmp_path, port=port) as jam:
        prom.wait_for_scrape()
        assert prom.query("jam_config_max_pending_packages")[0]["value"][1] == "1000"
        assert jam.faults() == []
        jam.set_faults("pending_high")
        assert jam.faults() == ["pending_high"]
        wait_until(lambda: prom.query('jam_package_pending_gauge{store="memory"} == 950'), 10,
                   "the pending_high fault to show in Prometheus")
        process = prom.query("sum(rate(jam_package_process_total[5s]))")
        assert float(process[0]["value"][1]) > 5  # healthy traffic: about 20/s over both stores
    assert jam.process.proc.poll() is not None and prom.process.proc.poll() is not None  # both stopped


def test_alertmanager_delivers_to_the_webhook_receiver(tmp_path: Path) -> None:
    with webhook_receiver() as hook, alertmanager(tmp_path, hook.url) as am:
        alert = [{"labels": {"alertname": "JamFixtureCheck", "severity": "info"}}]
        http_json(f"{am.url}/api/v2/alerts", data=json.dumps(alert).encode())
        delivered = hook.wait_for("JamFixtureCheck", timeout=15)
        assert delivered["status"] == "firing"
