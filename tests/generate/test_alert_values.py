"""Generated promtool tests expect each firing alert's $value bit for bit as Prometheus computes it, over many
thresholds and windows (rate's `delta * (1 / range)`, a split counter's total as the sum of its series' rates), not
only for the lucky values of JAM's spec: all of them in one promtool run."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import require_tool
from speckit import write_spec

from jamdash.generate import generate_all
from jamdash.pipeline import build

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
    return SPEC + "alerts:\n" + "".join(alerts)


def test_every_expected_value_is_the_one_promtool_computes(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    built = build(str(write_spec(tmp_path, spec())))
    assert built.model is not None, built.findings
    out = tmp_path / "generated"
    for path, text in generate_all(built.model).items():
        if path.startswith("prometheus/"):
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_text(text)
    tests = sorted(p.name for p in (out / "prometheus" / "tests").glob("*.test.yaml"))
    assert len([t for t in tests if t.startswith("JamRat")]) == len(RATES) + len(RATIOS), tests
    result = subprocess.run([promtool, "test", "rules", *tests], cwd=out / "prometheus" / "tests",
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
