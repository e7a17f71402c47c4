"""The generated promtool tests bite: mutate each generated alert (thresholds × 0.8 and × 1.2, `for:` halved
and doubled, range windows halved) and at least 90% of the mutants must fail one of the alert's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GENERATED, require_tool

from jamdash.generate.prometheus_rules import alerts_path
from rule_mutants import Mutant, all_mutants, killed, mutants_of

pytestmark = pytest.mark.slow

KILL_RATIO = 0.9
ALERTS_FILE = alerts_path("jam").rsplit("/", 1)[1]  # the repository spec: service jam


def test_mutants_are_every_threshold_for_and_raw_window() -> None:
    found = list(mutants_of("A", 0, 'x > 0.05 and on (job) rate(y[10m]) >= 2 and z == 0', "5m"))
    assert [m.change for m in found] == [
        "threshold 0.05 × 0.8", "threshold 0.05 × 1.2", "threshold 2 × 0.8", "threshold 2 × 1.2",
        "for halved", "for doubled", "range [10m] halved"]
    assert found[0].expr.startswith("x > 0.04 and") and found[-1].expr.endswith("rate(y[5m]) >= 2 and z == 0")
    assert (found[4].for_, found[5].for_) == ("2m30s", "10m")


def test_at_least_90_percent_of_the_mutants_of_the_generated_alerts_are_killed(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    prometheus = GENERATED / "prometheus"
    mutants = all_mutants(prometheus, ALERTS_FILE)
    assert len({m.alert for m in mutants}) >= 10
    verdicts = killed(prometheus, ALERTS_FILE, mutants, tmp_path, promtool)
    survivors: list[Mutant] = [m for m, dead in verdicts.items() if not dead]
    ratio = 1 - len(survivors) / len(verdicts)
    report = "\n".join(f"  {m.alert}[{m.rule}]: {m.change}" for m in survivors)
    assert ratio >= KILL_RATIO, f"{ratio:.0%} of {len(verdicts)} mutants killed; survivors:\n{report}"
