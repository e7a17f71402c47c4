"""Synthetic specs: the JAM spec's metrics copied N times under new names, lint-clean."""

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
