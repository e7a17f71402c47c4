"""The host-app example in docs/host-app.md runs against the generated modules and does what it says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import GENERATED, ROOT

DOC = ROOT / "docs" / "host-app.md"


def test_the_example_runs_and_logs_one_json_line_per_event() -> None:
    example = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert example
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python"), "JAM_LOG_HASH_KEY": "docs"}
    env.pop("JAM_TRACING", None)
    run = subprocess.run([sys.executable, "-c", example.group(1)], capture_output=True, text=True, env=env,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stderr.splitlines()]
    assert [e["event"] for e in events] == ["preimage_upload", "limit_reject", "package_submit", "package_process",
                                            "cleanup_run"]
    assert events[0]["trace_id"] == "0af7651916cd43dd8448eb211c80319c" and events[0]["size"] == 10
    assert events[3]["error"] == "RuntimeError: no guarantor answered"
    assert "tok-1" not in run.stderr
    assert run.stdout.startswith("200 {'status': 'ok', 'reasons': []} {'jam': {'enabled': True, 'store': 'memory'")


def test_the_registry_check_example_passes_under_pytest(tmp_path: Path) -> None:
    """The test module in "Checking the metrics in the service's tests" runs green from the repository root."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    example = next(block for block in blocks if "assert_conforms" in block)
    module = tmp_path / "test_metrics_conform.py"
    module.write_text(example, encoding="utf-8")
    # No plugins: the example needs none, and this environment's (hypothesis, xdist, anyio) would only add ~2 s
    # of CPU to pytest's start-up, most of it importing hypothesis.
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python"), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                          str(module)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
