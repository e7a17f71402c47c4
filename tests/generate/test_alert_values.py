"""Generated promtool tests expect each firing alert's $value bit for bit as Prometheus computes it, over many
thresholds and windows (rate's `delta * (1 / range)`, a split counter's total as the sum of its series' rates), not
only for the lucky values of JAM's spec; and the SLO error ratios the SLO cases work out (a latency SLO's
`1 - bucket / count`), against the recorded ratios. All of them in one promtool run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import require_tool
from speckit import write_spec

from jamdash.conventions import slo_errors_record
from jamdash.generate import generate_all
from jamdash.generate.rule_tests.series import SeriesMaker
from jamdash.generate.rule_tests.slo_cases import Traffic, slo_series
from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.write import write_tree

SPEC = """\
version: 1
service: jam
max_series: 400
labels:
  store:
    help: The store.
    values: [memory, postgres]
  outcome:
    help: How a thing ended.
    values: [ok, failed]
metrics:
  jam_things_total:
    type: counter
    help: Things done.
    labels: [store, outcome]
  jam_failures_total:
    type: counter
    help: Things that failed.
    labels: [store]
"""
ALERTING = """\
alerting:
  job: jam
  runbook_url: https://example.org/runbooks#{anchor}
"""

# (window, above) of the rate alerts, and the error-ratio thresholds of the ratio alerts: many, so that the
# test does not hang on a lucky value (several of these failed by an ulp when rate() divided by the range)
RATES = [("5m", 100), ("5m", 7), ("10m", 0.3), ("3m", 1000), ("10m", 37.5), ("30m", 2.2), ("2m", 13), ("15m", 0.7)]
RATIOS = [0.05, 0.01, 0.3, 0.07, 0.13]


def spec() -> str:
    alerts = []
    for i, (window, above) in enumerate(RATES):
        metric = "jam_things_total" if i % 2 else "{metric: jam_things_total, match: {store: memory}}"
        alerts.append(f"""\
  JamRate{i}:
    severity: warning
    for: {"10m" if i % 2 else "5m"}
    summary: Many things.
    description: "{{{{ $value }}}} things per second."
    rate: {{metric: {metric}, window: {window}, above: {above}}}
""")
    for i, above in enumerate(RATIOS):
        errors = "jam_failures_total" if i % 2 else "{metric: jam_things_total, match: {outcome: failed}}"
        alerts.append(f"""\
  JamRatio{i}:
    severity: warning
    for: 5m
    summary: Many things fail.
    description: "{{{{ $value }}}} of things failed."
    ratio: {{errors: {errors}, total: jam_things_total, by: [store], window: {3 + i}m, above: {above}, \
min_total_rate: 0.1}}
""")
    return SPEC + ALERTING + "alerts:\n" + "".join(alerts)


# SLOs whose error ratio is not one counter over another: a counter split by its error labels, and a histogram
SLOS = SPEC + """\
  jam_wait_seconds:
    type: histogram
    unit: seconds
    help: Time a thing waited.
    buckets: [0.1, 0.3, 1]
""" + ALERTING + """\
slo:
  - name: Split
    objective: 0.99
    errors: {metric: jam_things_total, match: {outcome: failed}}
    total: jam_things_total
    summary: Things fail.
  - name: Wait
    objective: 0.99
    latency: {histogram: jam_wait_seconds, below: 0.3}
    summary: Things wait.
"""
# (errors, events) a minute; at (3, 5) the split counter's rates errors + rest differ from the total's by an ulp
STREAMS = [(7, 1000), (3, 5), (13, 1200), (29, 10_000), (3, 7)]
STEP_MS, AT_MS = 60_000, 30 * 60_000  # the 5m and 30m windows full, the 1h one not yet


def write(model: Model, out: Path) -> list[str]:
    """The prometheus/ part of what model generates, in out; its test files."""
    write_tree({path: text for path, text in generate_all(model).items() if path.startswith("prometheus/")}, out)
    return sorted(p.name for p in (out / "prometheus" / "tests").glob("*.test.yaml"))


def slo_ratio_tests(model: Model) -> dict[str, object]:
    """A promtool test file: the recorded error ratio of each SLO over 5m, 30m and 1h, for each stream, expected
    as Traffic.ratio (what the SLO alerts' cases expect) works it out."""
    make = SeriesMaker(model, {})
    tests = []
    for slo in model.rules.slos:
        for stream in STREAMS:
            traffic = Traffic.of(AT_MS // STEP_MS, stream)
            tests.append({
                "interval": "1m",
                "input_series": [{"series": x.series, "values": x.values} for x in slo_series(make, slo, traffic)],
                "promql_expr_test": [{
                    "expr": slo_errors_record("jam", slo.name, (), window), "eval_time": "30m",
                    "exp_samples": [{"labels": f'{slo_errors_record("jam", slo.name, (), window)}{{job="jam"}}',
                                     "value": traffic.ratio(slo, ms, AT_MS, STEP_MS)}]}
                    for window, ms in (("5m", 300_000), ("30m", 1_800_000), ("1h", 3_600_000))]})
    # the rules evaluated at 0 and 30m only: the SLO ratios read raw series or rates of the same evaluation
    return {"rule_files": ["../jam_recording.rules.yaml"], "evaluation_interval": "30m", "tests": tests}


@pytest.mark.slow
def test_every_expected_value_is_the_one_promtool_computes(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    built, slos = (build(str(write_spec(tmp_path, text, name))) for name, text in (("a.yaml", spec()),
                                                                                   ("s.yaml", SLOS)))
    assert built.model is not None and slos.model is not None, built.findings + slos.findings
    tests = write(built.model, tmp_path / "a")
    assert len([t for t in tests if t.startswith("JamRat")]) == len(RATES) + len(RATIOS), tests
    ratios = tmp_path / "s" / "prometheus" / "tests" / "slo_ratios.test.yaml"
    write(slos.model, tmp_path / "s")
    ratios.write_text(yaml.safe_dump(slo_ratio_tests(slos.model), sort_keys=False))
    result = subprocess.run([promtool, "test", "rules", *tests, str(ratios)],
                            cwd=tmp_path / "a" / "prometheus" / "tests", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
