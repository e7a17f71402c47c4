"""Helpers for spec tests: write a spec, run load → lint → resolve, and show findings compactly."""

from __future__ import annotations

import textwrap
from pathlib import Path

from jamdash.findings import Finding, format_text, sort_key
from jamdash.pipeline import build

# A small valid spec; tests that need a clean starting point append to or edit it.
BASE = """\
version: 1
service: jam
max_series: 100
labels:
  store:
    help: The store.
    values: [memory, postgres]
metrics:
  jam_things_total:
    type: counter
    help: Things done.
    labels: [store]
"""

# BASE with a gauge, a recorded rate and an alert on the gauge: the smallest spec whose rules promtool checks and
# tests (three rule files, a recording test file and an alert test file), for tests of the checks themselves.
WITH_RULES = BASE + """\
  jam_queue_length:
    type: gauge
    help: Things waiting.
    labels: [store]
alerting:
  job: jam
  runbook_url: https://example.org/runbooks#{anchor}
recording_rules:
  - {rate: jam_things_total, by: [store], windows: [5m]}
alerts:
  JamQueueLong:
    severity: warning
    for: 5m
    summary: Many things wait.
    description: "{{ $value }} things wait in {{ $labels.store }}."
    gauge: {metric: jam_queue_length, by: [store], above: 100}
"""


def write_spec(tmp_path: Path, text: str | bytes, name: str = "metrics_spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def findings(tmp_path: Path, text: str | bytes) -> list[Finding]:
    """Every finding of load, lint and resolve on text, sorted by position."""
    return sorted(build(str(write_spec(tmp_path, text))).findings, key=sort_key)


def where(tmp_path: Path, text: str | bytes) -> list[str]:
    """Findings as 'LINE:COL rule', the form the position tests assert."""
    return [f"{f.line}:{f.column} {f.rule}" for f in findings(tmp_path, text)]


def message(tmp_path: Path, text: str | bytes, rule: str) -> str:
    """The message of the single finding of rule."""
    found = [f.message for f in findings(tmp_path, text) if f.rule == rule]
    assert len(found) == 1, found
    return found[0]


def report(tmp_path: Path, text: str) -> list[str]:
    """The findings as `jamdash lint` prints them, one per line, with the spec's path shown as 's'."""
    return format_text(f._replace(path="s") for f in findings(tmp_path, text)).splitlines()
