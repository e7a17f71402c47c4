"""What `jamdash demo` prints: the URLs, a ready Prometheus scrape config, and a traffic summary."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click
import yaml

if TYPE_CHECKING:
    from jamdash.service.config import ServiceConfig
    from jamdash.service.runner import RunOptions
    from jamdash.service.traffic import TrafficGenerator


def scrape_config(url: str) -> str:
    """A prometheus.yml fragment scraping the service as job "jam", with the generated rule files."""
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load the generated metrics module and prometheus_client (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.service.generated import generated_dir

    generated = generated_dir().parent
    spec = generated.parent / "metrics_spec.yaml"
    interval = yaml.safe_load(spec.read_text()).get("scrape_interval", "15s") if spec.is_file() else "15s"
    config: dict[str, object] = {"scrape_configs": [{
        "job_name": "jam", "scrape_interval": interval,
        "static_configs": [{"targets": [url.removeprefix("http://")]}]}]}
    rules = sorted(str(p) for p in (generated / "prometheus").glob("*.rules.yaml"))
    if rules:
        config["rule_files"] = rules
    return yaml.safe_dump(config, sort_keys=False)


def check_command(url: str) -> str:
    """The `jamdash check` command line that compares the service's /metrics with its spec."""
    import shlex

    from jamdash.findings import display_path
    from jamdash.service.generated import generated_dir

    spec = display_path(str(generated_dir().parent.parent / "metrics_spec.yaml"))
    chosen = "" if spec == "metrics_spec.yaml" else f" --spec {shlex.quote(spec)}"
    return f"jamdash check{chosen} --metrics-url {url}/metrics"


def banner(url: str, config: ServiceConfig, options: RunOptions) -> None:
    """Print where the service is and how to scrape it; stdout, so it can be piped."""
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load starlette and the reference service (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    from jamdash.service.runner import FAULTS_PATH

    faults = ", ".join(sorted(options.faults)) or "none"
    traffic = (f"up to {options.duration:g}s or {options.max_requests} requests" if options.traffic else "off")
    click.echo(f"JAM reference service ({config.store} store), faults: {faults}\n"
               f"  service:  {url}\n"
               f"  metrics:  {url}/metrics\n"
               f"  status:   {url}/system/status\n"
               f"  health:   {url}/jam/healthz\n"
               f"  faults:   curl -d 'rate_limited,quota_surge' {url}{FAULTS_PATH}   (empty body: healthy)\n"
               f"  traffic:  {traffic}\n"
               f"  check:    {check_command(url)}\n\n"
               "Add this to prometheus.yml:\n\n" + scrape_config(url) + "\nPress Ctrl-C to stop.")
    sys.stdout.flush()


def summary(traffic: TrafficGenerator) -> None:
    """One line per action: how it was answered."""
    by_action: dict[str, list[str]] = {}
    for (action, status), count in sorted(traffic.answers.items()):
        by_action.setdefault(action, []).append(f"{status or 'error'}×{count}")
    lines = "\n".join(f"  {action}: {' '.join(parts)}" for action, parts in by_action.items())
    click.echo(f"traffic finished: {traffic.requests} requests\n{lines}", err=True)


@contextlib.contextmanager
def demo_logging(events: bool) -> Iterator[None]:
    """JSON events (logger "jam") and service warnings on stderr with --events; only errors otherwise.

    The loggers are restored on the way out, so a demo run inside another process (a test, a notebook)
    leaves that process's logging as it found it.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    loggers = [logging.getLogger(name) for name in ("jam", "jamdash.service")]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO if events else logging.ERROR)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, (level, propagate) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
