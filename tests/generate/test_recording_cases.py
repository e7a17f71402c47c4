"""generate/rule_tests/recording_cases.py: recorded-series cases share a promtool test only where no
expression sees a series it would not see alone, and the shared tests still catch a wrong rule."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GENERATED, require_tool

from jamdash.generate.rule_tests.recording_cases import ExprCase, expr_case, merged, reads
from jamdash.generate.rule_tests.series import Series
from jamdash.model import Model


def test_each_recording_reads_raw_series_through_other_recordings(model: Model) -> None:
    read = reads(model)
    assert set(read) == {rule.record for rule in model.rules.recording}
    assert all(names and not names & set(read) for names in read.values())
    assert read["job:jam_package_process_fail_per_package_process:ratio_rate5m"] == {
        "jam_package_process_fail_total", "jam_package_process_total"}


def test_cases_that_would_see_each_others_series_stay_apart(model: Model) -> None:
    rate = next(expr_case(model, r) for r in model.rules.recording if r.record == "job:jam_package_process:rate5m")
    ratio = next(expr_case(model, r) for r in model.rules.recording
                 if r.record == "job:jam_package_process_fail_per_package_process:ratio_rate5m")
    # the ratio's total is the rate's own series (the rate reads nothing else the ratio gives); its errors
    # grow by another step than the fail-rate case's, so those two cannot share an input
    fail = next(expr_case(model, r) for r in model.rules.recording if r.record == "job:jam_package_process_fail:rate5m")
    groups = merged(model, [rate, ratio, fail])
    assert [[c.record for c in g] for g in groups] == [[rate.record, ratio.record], [fail.record]]
    other = dataclasses.replace(rate, series=tuple(Series(s.series, s.values + " 1") for s in rate.series))
    assert len(merged(model, [rate, other])) == 2  # one series, two different values


def test_every_recording_keeps_its_exact_expectation(model: Model) -> None:
    cases: list[ExprCase] = [expr_case(model, rule) for rule in model.rules.recording]
    groups = merged(model, cases)
    assert sorted(c.record for g in groups for c in g) == sorted(c.record for c in cases)
    assert len(groups) < len(cases) / 3


@pytest.mark.slow
def test_a_wrong_recording_fails_its_shared_test(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    folder = tmp_path / "prometheus"
    shutil.copytree(GENERATED / "prometheus", folder)
    rules = folder / "jam_recording.rules.yaml"
    text = rules.read_text()
    wrong = 'sum by (job) (rate(jam_rate_limit_hits_total{job="jam"}[5m]))'
    assert wrong in text
    rules.write_text(text.replace(wrong, wrong.replace("[5m]", "[10m]"), 1))
    result = subprocess.run([promtool, "test", "rules", "jam_recording_every_1m15s.test.yaml"], cwd=folder / "tests",
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert 'expr: "job:jam_rate_limit_hits:rate5m"' in result.stderr
