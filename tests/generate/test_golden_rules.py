"""Golden rules cases: tests/golden/rules/<case>/metrics_spec.yaml generates exactly expected/
(the Prometheus rules and their tests, the PrometheusRule, the runbooks, the Alertmanager routes), and promtool
passes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from goldenkit import assert_tree, cases

from jamdash.check import rule_files
from jamdash.check.rule_tests import untested_rules
from jamdash.generate import generate_all
from jamdash.pipeline import build

CASES = cases("rules")
RULE_OUTPUTS = ("prometheus/", "kubernetes/jam-rules", "docs/runbooks.md", "thanos/", "mimir/", "cortex/", "alertmanager/")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rules_case(case: Path) -> None:
    assert (case / "README.md").read_text(encoding="utf-8").strip(), f"{case.name} needs a README.md"
    result = build(str(case / "metrics_spec.yaml"))
    assert result.model is not None and result.findings == [], result.findings
    files = {p: t for p, t in generate_all(result.model).items() if p.startswith(RULE_OUTPUTS)}
    expected = case / "expected"
    assert_tree(files, expected, "generated rules")
    require_tool("promtool")
    assert rule_files(result.model, expected) == []
    assert untested_rules(result.model, expected) == []
