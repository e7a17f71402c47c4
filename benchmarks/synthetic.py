"""Synthetic specs: the JAM spec's metrics copied N times under new names, and a small one; all lint-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def scaled_spec(spec: Path, factor: int) -> dict[str, Any]:
    """The spec with every metric repeated `factor` times (copy k renamed jam_s<k>_...)."""
    doc: dict[str, Any] = yaml.safe_load(spec.read_text(encoding="utf-8"))
    prefix = doc.get("service", "jam") + "_"
    metrics: dict[str, Any] = {}
    for copy in range(factor):
        for name, metric in doc["metrics"].items():
            metrics[name if copy == 0 else name.replace(prefix, f"{prefix}s{copy}_", 1)] = metric
    doc["metrics"] = metrics
    doc["max_series"] = doc["max_series"] * factor
    return doc


def write_scaled(spec: Path, factor: int, folder: Path) -> tuple[Path, int]:
    """Writes the scaled spec into folder; returns its path and its metric count."""
    doc = scaled_spec(spec, factor)
    path = folder / f"metrics_spec_x{factor}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, width=100), encoding="utf-8")
    return path, len(doc["metrics"])


# A small lint-clean spec for --quick's lint rows: one metric and one alert, so `jamdash lint` still runs
# both `promtool check rules` and `promtool test rules`, on two test files instead of the JAM spec's 22.
SMALL = """\
version: 1
service: jam
max_series: 100
labels:
  store:
    help: The store.
    values: [memory, postgres]
metrics:
  jam_things_failed_total:
    type: counter
    help: Things that failed.
    labels: [store]
alerting:
  runbook_url: https://example.org/runbooks.md#{anchor}
alerts:
  JamThingsFailing:
    severity: warning
    for: 15m
    summary: Things keep failing.
    description: "{{ $value | humanize }} things failed over the last {window}."
    increase:
      metric: jam_things_failed_total
      window: 30m
      above: 5
"""


def write_small(folder: Path) -> Path:
    """Writes SMALL into folder; returns its path."""
    path = folder / "metrics_spec_small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path
