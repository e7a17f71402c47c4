"""jamdash lint runs promtool on the generated rules: failures become findings with file and line,
an alert without a firing test is reported, and a missing promtool exits 2 with an install hint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GENERATED, ROOT, SPEC, require_tool
from speckit import WITH_RULES, write_spec

from jamdash.check import run_checks
from jamdash.cli import cli
from jamdash.check.promtool import parse_check_output, parse_test_output
from jamdash.findings import format_github
from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.write import write_tree

pytestmark = pytest.mark.slow


def lint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jamdash.cli", "lint", "--spec", str(SPEC), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env)


WEAKENED_TESTS = "JamRateLimitHitsSustained.test.yaml"  # the test file of the alert the weakening test changes


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """The repository's rule files and the test file of JamRateLimitHitsSustained (promtool runs every test
    file on a changed rule file; the others take no part in these tests)."""
    out = tmp_path / "generated"
    (out / "prometheus" / "tests").mkdir(parents=True)
    for rules in (GENERATED / "prometheus").glob("*.rules.yaml"):
        shutil.copy(rules, out / "prometheus")
    shutil.copy(GENERATED / "prometheus" / "tests" / WEAKENED_TESTS, out / "prometheus" / "tests")
    return out


def test_missing_promtool_exits_2_with_an_install_hint(tmp_path: Path) -> None:
    result = lint(env={"PATH": str(tmp_path), "JAMDASH_PROMTOOL": str(tmp_path / "promtool")})
    assert result.returncode == 2
    assert "apt-get install prometheus" in result.stderr


def test_a_broken_rule_file_is_a_finding_at_its_line(generated_copy: Path, model: Model) -> None:
    require_tool("promtool")
    alerts = generated_copy / "prometheus" / "jam_alerts.rules.yaml"
    text = alerts.read_text()
    alerts.write_text(text.replace("expr: up{job=\"jam\"} == 0", "expr: sum(up{job=\"jam\"} == 0"))
    line = 1 + text[: text.index('expr: up{job="jam"} == 0')].count("\n")
    # lint checks what the spec generates (tests/cli/test_cli_lint_output.py); the checks read any folder
    found = format_github(run_checks(model, generated_copy))
    assert f"::error file={alerts},line={line},col=11,title=promtool-check-rules::" in found


def test_a_weakened_alert_fails_its_generated_test(generated_copy: Path, model: Model) -> None:
    require_tool("promtool")
    alerts = generated_copy / "prometheus" / "jam_alerts.rules.yaml"
    alerts.write_text(alerts.read_text().replace("job:jam_rate_limit_hits:rate5m > 1",
                                                 "job:jam_rate_limit_hits:rate5m > 1000"))
    found = run_checks(model, generated_copy)
    failing = [f for f in found if f.rule == "promtool-test-rules"]
    assert len(failing) == 2, found  # the two cases in which it fires
    assert all(f.path.endswith(WEAKENED_TESTS) and f.line > 1 for f in failing)
    assert "a rate just above the threshold fires" in failing[0].message
    assert "the fault fires once for: 15m has passed" in failing[1].message


def test_a_new_alert_without_a_test_is_reported(tmp_path: Path) -> None:
    # a small spec's whole output (its alert and recorded series have their tests), not the repository's: the
    # subject is the check, and a changed rule file has promtool run every test file again
    require_tool("promtool")
    small = build(str(write_spec(tmp_path, WITH_RULES))).model
    assert small is not None
    out = tmp_path / "generated"
    write_tree({path: text for path, text in generate_all(small).items() if path.startswith("prometheus/")}, out)
    alerts = out / "prometheus" / "jam_alerts.rules.yaml"
    alerts.write_text(alerts.read_text() + "  - alert: JamHandWritten\n    expr: vector(1)\n")
    found = [(f.rule, f.message) for f in run_checks(small, out)]
    assert found == [("alert-without-test", "alert JamHandWritten has no promtool test in which it fires")]


def test_the_repository_rules_pass_lint() -> None:
    require_tool("promtool")
    result = CliRunner().invoke(cli, ["lint", "--spec", str(SPEC)])  # in this process: one interpreter start less
    assert result.exit_code == 0, result.output


def test_promtool_output_parsers(tmp_path: Path) -> None:
    check = ('  FAILED:\nx.rules.yaml: 5:11: group "g", rule 1, "X": could not parse expression\n'
             'y.rules.yaml: not a valid duration string: "5x"\n')
    found = parse_check_output(check, tmp_path)
    assert [(Path(f.path).name, f.line, f.column) for f in found] == [("x.rules.yaml", 5, 11), ("y.rules.yaml", 1, 1)]
    test_file = tmp_path / "a.test.yaml"
    test_file.write_text("tests:\n- name: 'A: fires'\n  interval: 1m\n")
    failed = ("Unit Testing:  a.test.yaml\n  FAILED:\n    name: A: fires,\n    alertname: A, time: 10m, \n"
              "        exp:[], \n        got:[]\n")
    [finding] = parse_test_output(failed, test_file)
    assert (finding.line, finding.rule) == (2, "promtool-test-rules")
    assert finding.message.startswith("test 'A: fires' failed: alertname: A, time: 10m")


MERGED = """\
version: 1
service: shop
max_series: 100
metrics:
  shop_jobs_failed_total: {type: counter, help: Jobs failed.}
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
      - name: many failures are pending at first
        interval: 1m
        eval_time: 3m
        series: [{series: 'shop_jobs_failed_total{job="shop", instance="a"}', values: '0+120x30'}]
        fires: false
      - name: many failures fire
        interval: 1m
        eval_time: 20m
        series: [{series: 'shop_jobs_failed_total{job="shop", instance="a"}', values: '0+120x30'}]
        fires: true
        labels: {job: shop}
        value: 3
"""


def test_a_failing_case_of_a_test_holding_several_is_found_at_its_own_spec_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the two cases have the same input, so they are one promtool test; the second expects a wrong value
    require_tool("promtool")
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, MERGED)
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 1
    line = 1 + MERGED[:MERGED.index("- name: many failures fire")].count("\n")
    assert result.output.startswith(
        f"metrics_spec.yaml:{line}:9: error: [promtool-test-rules] test 'ShopJobsFailing: many failures are pending "
        "at first; many failures fire' failed: alertname: ShopJobsFailing, time: 20m"), result.output
