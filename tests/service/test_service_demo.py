"""`jamdash demo` as a user runs it: a real uvicorn subprocess, traffic, faults switched over HTTP, Ctrl-C."""

from __future__ import annotations

import json
import logging
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml
from click.testing import CliRunner
from pg import PostgresServer

from jamdash.cli import cli
from jamdash.service.launch import launched


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())


def _sample(metrics: str, name: str) -> float:
    """The sum of a metric's samples in an exposition text."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith(name + "{") or line.startswith(name + " "))


def test_demo_prints_its_url_and_a_scrape_config_and_stops_cleanly_on_ctrl_c() -> None:
    process = subprocess.Popen([sys.executable, "-m", "jamdash.cli", "demo", "--port", "0", "--profile", "healthy",
                                "--duration", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while not lines or "Press Ctrl-C" not in lines[-1]:
            line = process.stdout.readline()
            assert line and time.monotonic() < deadline, f"no banner: {lines} {process.poll()}"
            lines.append(line)
        url = next(line.split()[-1] for line in lines if line.strip().startswith("service:"))
        deadline = time.monotonic() + 30  # the traffic's pace depends on the machine's load: wait for it
        metrics = _get(f"{url}/metrics")
        while not (_sample(metrics, "jam_http_requests_total") > 5 and _sample(metrics, "jam_package_submit_total") > 0):
            assert time.monotonic() < deadline, metrics
            time.sleep(0.2)
            metrics = _get(f"{url}/metrics")
        check = next(line.split("check:", 1)[1].strip() for line in lines if line.strip().startswith("check:"))
        assert check.startswith("jamdash check ") and check.endswith(f" --metrics-url {url}/metrics")
        checked = CliRunner().invoke(cli, shlex.split(check)[1:])  # the printed command passes on the service
        assert (checked.exit_code, checked.stdout) == (0, ""), checked.output
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "jamdash demo: stopped" in err
    assert "traffic finished:" in err
    banner = "".join(lines)
    scrape = yaml.safe_load(banner.split("Add this to prometheus.yml:", 1)[1].split("Press Ctrl-C")[0])
    job = scrape["scrape_configs"][0]
    assert (job["job_name"], job["scrape_interval"]) == ("jam", "15s")
    assert job["static_configs"][0]["targets"] == [url.removeprefix("http://")]
    with pytest.raises(urllib.error.URLError):
        _get(f"{url}/metrics")


@pytest.mark.slow
def test_a_launched_service_switches_faults_while_running() -> None:
    with launched("healthy") as jam:
        assert jam.faults() == []
        assert jam.set_faults("rate_limited", "quota_surge") == ["quota_surge", "rate_limited"]
        deadline = time.monotonic() + 30  # the bursty client first spends its full bucket (~8s)
        while time.monotonic() < deadline:
            metrics = _get(jam.metrics_url)
            if _sample(metrics, "jam_rate_limit_hits_total") and _sample(metrics, "jam_preimage_quota_reject_total"):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no rate-limit or quota rejects after switching the faults on:\n{jam.tail()}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            jam.set_faults("bogus")
        assert refused.value.code == 400
        assert "unknown faults bogus" in json.loads(refused.value.read())["message"]
    assert jam.process.returncode == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--store", "postgres"], "--store postgres needs --dsn"),
    (["--faults", "bogus"], "unknown faults bogus"),
])
def test_demo_refuses_bad_options_with_exit_2(args: list[str], message: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAM_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["demo", *args])
    assert result.exit_code == 2 and message in result.output


def test_the_demo_runs_on_postgresql_with_a_dsn(pg_cluster: PostgresServer) -> None:
    with launched("faulty", store="postgres", dsn=pg_cluster.create_database()) as jam:
        assert json.loads(_get(f"{jam.url}/system/status"))["jam"]["store"] == "postgres"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            metrics = _get(jam.metrics_url)
            if 'jam_package_process_total{store="postgres"}' in metrics and \
                    _sample(metrics, "jam_package_process_total") > 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no package processed with PostgreSQL:\n{jam.tail()}")
        listed = json.loads(_get(f"{jam.url}/jam/packages?limit=5"))["packages"]
        assert listed and all(p["id"] for p in listed)


def test_demo_reports_an_unreachable_store_or_a_busy_port_without_a_traceback() -> None:
    busy = socket.create_server(("127.0.0.1", 0))
    with busy:
        for args, message in [
            (["--store", "postgres", "--dsn", f"host=127.0.0.1 port={busy.getsockname()[1]} connect_timeout=2"],
             "PostgreSQL unavailable"),
            (["--port", str(busy.getsockname()[1])], "Address already in use"),
        ]:
            result = CliRunner().invoke(cli, ["demo", "--no-traffic", *args])
            assert result.exit_code == 1, result.output
            assert message in result.output and "Traceback" not in result.output


def test_a_demo_run_in_process_leaves_the_loggers_as_it_found_them() -> None:
    loggers = [logging.getLogger(name) for name in ("jam", "jamdash.service")]
    before = [(logger.level, logger.propagate, list(logger.handlers)) for logger in loggers]
    busy = socket.create_server(("127.0.0.1", 0))
    with busy:
        result = CliRunner().invoke(cli, ["demo", "--no-traffic", "--port", str(busy.getsockname()[1])])
    assert result.exit_code == 1, result.output
    assert [(logger.level, logger.propagate, list(logger.handlers)) for logger in loggers] == before


def test_demo_without_the_service_extra_names_the_install_command() -> None:
    # starlette missing, as when jamdash is installed without its [service] extra
    code = ("import sys; sys.modules['starlette'] = None\n"
            "from jamdash.cli import main\n"
            "main(['demo', '--no-traffic'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "pip install 'jamdash[service]'" in done.stderr
    assert "Traceback" not in done.stderr
