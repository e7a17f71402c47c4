"""`jamdash lint` checks what the spec generates now: a missing or stale --out hides nothing, and a
failing promtool test of a raw-expr alert points at the spec's `tests:` entry (issue 15, items 1 and 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_tool
from speckit import write_spec

from jamdash.cli import cli

pytestmark = pytest.mark.slow

SPEC = """\
version: 1
service: shop
max_series: 100
labels:
  store:
    help: The store.
    values: [memory, postgres]
metrics:
  shop_jobs_failed_total:
    type: counter
    help: Jobs failed.
    labels: [store]
alerting:
  job: shop
  runbook_url: https://example.org/runbooks#{anchor}
alerts:
  ShopJobsFailing:
    severity: warning
    for: 5m
    summary: Jobs fail.
    description: "{{ $value }} jobs per second fail."
    expr: sum by (job) (rate(shop_jobs_failed_total{job="$job"}[5m])) > 1
    tests:
      - name: many failures fire
        interval: 1m
        eval_time: 20m
        series:
          - {series: 'shop_jobs_failed_total{job="shop", instance="a", store="memory"}', values: '0+120x30'}
        fires: true
        labels: {job: shop}
        value: 2
"""
WRONG_VALUE = SPEC.replace("value: 2", "value: 3")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_tool("promtool")
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, SPEC)
    return tmp_path


def test_a_wrong_raw_test_value_is_found_without_any_generated_folder(project: Path) -> None:
    write_spec(project, WRONG_VALUE)
    code, out = run("lint")
    assert not (project / "generated").exists()
    assert code == 1
    # at the spec's tests: entry (line 24), not in generated/prometheus/tests/
    assert out.startswith("metrics_spec.yaml:24:9: error: [promtool-test-rules] test 'ShopJobsFailing: many "
                          "failures fire' failed: "), out
    assert "(promtool test rules, in ShopJobsFailing.test.yaml)" in out


def test_a_change_made_after_generate_is_linted_before_regenerating(project: Path) -> None:
    assert run("generate") == (0, "")
    assert run("lint") == (0, "")
    write_spec(project, WRONG_VALUE)  # edited, not regenerated: the old rules on disk still pass
    code, out = run("lint")
    assert code == 1 and "[promtool-test-rules]" in out
