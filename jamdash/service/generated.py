"""The generated runtime modules, imported from generated/python the way a host app imports them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

GENERATED_ENV = "JAMDASH_GENERATED_PYTHON"
"""Overrides where the generated Python modules are (default: the repository's generated/python)."""


def generated_dir() -> Path:
    """The folder holding jam_metrics.py and jam_telemetry.py."""
    override = os.environ.get(GENERATED_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "generated" / "python"


def _put_on_path() -> None:
    folder = generated_dir()
    if not (folder / "jam_metrics.py").is_file():
        raise ImportError(f"no generated modules in {folder}: run 'jamdash generate' "
                          f"(or point {GENERATED_ENV} at them)")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


_put_on_path()

from jam_metrics import CodeClass, Endpoint, JamMetrics  # noqa: E402  (needs the path set above)
from jam_telemetry import CLEANUP_INTERVAL_SECONDS, Scope, Telemetry  # noqa: E402

__all__ = ["CLEANUP_INTERVAL_SECONDS", "CodeClass", "Endpoint", "JamMetrics", "Scope", "Telemetry", "generated_dir"]
