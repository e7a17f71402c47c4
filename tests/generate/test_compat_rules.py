"""resolve/compat.py and generate/compat_rules.py: a renamed metric's old name is recorded from the new one, checked by promtool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from compat_specs import BASE, edited, rename_metric, set_field, write
from conftest import require_tool

from jamdash.generate import compat_rules, generate_all, python_metrics
from jamdash.model import Model
from jamdash.pipeline import build

RENAMED = edited(
    rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True),
    set_field("jam_stored_total", "labels", ["store", "reason"]),  # the new metric has one more label
    rename_metric("jam_upload_duration_seconds", "jam_store_duration_seconds", keep_deprecated=True),
)


def model(tmp_path: Path, spec: dict[str, Any]) -> Model:
    result = build(str(write(tmp_path / "metrics_spec.yaml", spec)))
    assert result.model is not None, result.findings
    return result.model


def rules_file(tmp_path: Path, spec: dict[str, Any]) -> Path:
    [(path, text)] = compat_rules.generate(model(tmp_path, spec))
    assert path == "prometheus/jam_compat.rules.yaml"
    out = tmp_path / "jam_compat.rules.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def test_old_names_are_recorded_from_the_new_metrics(tmp_path: Path) -> None:
    assert [(r.record, r.expr) for r in model(tmp_path, RENAMED).rules.compat] == [
        ("jam_upload_duration_seconds_bucket", 'jam_store_duration_seconds_bucket{job="jam"}'),
        ("jam_upload_duration_seconds_sum", 'jam_store_duration_seconds_sum{job="jam"}'),
        ("jam_upload_duration_seconds_count", 'jam_store_duration_seconds_count{job="jam"}'),
        ("jam_uploads_total", 'sum without (reason) (jam_stored_total{job="jam"})'),
    ]


def test_without_renames_the_file_has_no_groups(tmp_path: Path) -> None:
    text = rules_file(tmp_path, BASE).read_text(encoding="utf-8")
    assert text.startswith("# generated from metrics_spec.yaml by jamdash — do not edit\n")
    assert yaml.safe_load(text) == {"groups": []}


def test_promtool_accepts_the_rules(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    for spec in (BASE, RENAMED):
        result = subprocess.run([promtool, "check", "rules", str(rules_file(tmp_path, spec))],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_queries_on_the_old_names_keep_working_in_prometheus(tmp_path: Path) -> None:
    """promtool evaluates the rules on series that only carry the new names, as the app now exports."""
    promtool = require_tool("promtool")
    rules = rules_file(tmp_path, RENAMED)
    tests = {
        "rule_files": [str(rules)],
        "evaluation_interval": "15s",
        "tests": [{
            "interval": "15s",
            "input_series": [
                {"series": 'jam_stored_total{job="jam",store="memory",reason="too_large"}', "values": "0+1x40"},
                {"series": 'jam_stored_total{job="jam",store="memory",reason="unsupported_media"}', "values": "0+2x40"},
                {"series": 'jam_store_duration_seconds_bucket{job="jam",store="memory",le="0.1"}', "values": "0+1x40"},
                {"series": 'jam_store_duration_seconds_bucket{job="jam",store="memory",le="+Inf"}', "values": "0+2x40"},
                {"series": 'jam_store_duration_seconds_count{job="jam",store="memory"}', "values": "0+2x40"},
                # another service's series of the same name are not the service's: the rules leave them out
                {"series": 'jam_stored_total{job="other",store="memory",reason="too_large"}', "values": "0+9x40"},
            ],
            "promql_expr_test": [
                {"expr": "jam_uploads_total", "eval_time": "5m",
                 "exp_samples": [{"labels": 'jam_uploads_total{job="jam",store="memory"}', "value": 60}]},
                {"expr": "sum(rate(jam_uploads_total[5m]))", "eval_time": "10m",
                 "exp_samples": [{"labels": "{}", "value": 0.2}]},
                {"expr": "histogram_quantile(0.5, sum by (le) (rate(jam_upload_duration_seconds_bucket[5m])))",
                 "eval_time": "10m", "exp_samples": [{"labels": "{}", "value": 0.1}]},
                {"expr": "jam_upload_duration_seconds_count", "eval_time": "5m",
                 "exp_samples": [{"labels": 'jam_upload_duration_seconds_count{job="jam",store="memory"}', "value": 40}]},
            ],
        }],
    }
    test_file = tmp_path / "compat_test.yaml"
    test_file.write_text(yaml.safe_dump(tests), encoding="utf-8")
    result = subprocess.run([promtool, "test", "rules", str(test_file)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_module_exports_only_the_new_name_and_keeps_the_old_attribute(tmp_path: Path) -> None:
    m = model(tmp_path, RENAMED)
    [(name, text)] = python_metrics.generate(m)
    module = tmp_path / name
    module.parent.mkdir(parents=True)
    module.write_text(text, encoding="utf-8")
    script = (
        "import sys\nsys.path.insert(0, sys.argv[1])\nfrom jam_metrics import JamMetrics\n"
        "from prometheus_client import generate_latest\n"
        "m = JamMetrics.fresh()\n"
        "assert m.jam_upload_duration_seconds is m.jam_store_duration_seconds\n"
        "assert not hasattr(m, 'jam_uploads_total')  # labels differ: no alias, the app must move\n"
        "m.jam_upload_duration_seconds['memory'].observe(0.05)\n"
        "print(generate_latest(m.registry).decode())\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(module.parent)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert 'jam_store_duration_seconds_count{store="memory"} 1.0' in result.stdout
    # the old names are not exported, so they never collide with the compat recording rules
    assert "jam_upload_duration_seconds" not in result.stdout
    assert "jam_uploads_total" not in result.stdout


@pytest.mark.slow
def test_the_module_with_a_renamed_alias_passes_mypy_strict(tmp_path: Path, mypy_cache: str) -> None:
    files = generate_all(model(tmp_path, RENAMED))
    module = tmp_path / "jam_metrics.py"
    module.write_text(files["python/jam_metrics.py"], encoding="utf-8")
    user = tmp_path / "app.py"
    user.write_text("from jam_metrics import JamMetrics\n\nm = JamMetrics()\n"
                    "m.jam_upload_duration_seconds['memory'].observe(1.0)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", mypy_cache,
         str(module), str(user)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
