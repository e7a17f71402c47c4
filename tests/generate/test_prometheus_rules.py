"""The generated rule files: promtool loads them, the PrometheusRule carries the same groups, runbook
anchors match each runbook_url, and every alert has must-not-fire cases and an exact firing case."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import GENERATED, require_tool

RULES = GENERATED / "prometheus"
TESTS = RULES / "tests"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def alerts() -> list[dict[str, Any]]:
    return [r for g in load(RULES / "jam_alerts.rules.yaml")["groups"] for r in g["rules"]]


def test_promtool_check_rules_accepts_the_rule_files() -> None:
    promtool = require_tool("promtool")
    files = [RULES / "jam_recording.rules.yaml", RULES / "jam_alerts.rules.yaml"]
    result = subprocess.run([promtool, "check", "rules", *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_plan_alerts_and_the_mixin_alerts_are_there() -> None:
    names = {a["alert"] for a in alerts()}
    assert names >= {"JamPackageProcessFailureRate", "JamRateLimitHitsSustained", "JamCleanupFailing",
                     "JamPendingQueueNearCap", "JamTargetDown", "JamMetricsAbsent", "JamPreimageQuotaRejectSurge",
                     "JamPackageProcessLatencyHigh", "JamProcessingSuccessBudgetBurnPage",
                     "JamProcessingSuccessBudgetBurnTicket"}
    for alert in alerts():
        assert re.fullmatch(r"Jam[A-Z][A-Za-z0-9]*", alert["alert"])
        assert alert["labels"]["severity"] in ("critical", "warning", "info")
        assert alert["for"]
        assert {"summary", "description", "runbook_url"} <= set(alert["annotations"])


def test_recorded_names_are_level_metric_operations() -> None:
    records = [r["record"] for g in load(RULES / "jam_recording.rules.yaml")["groups"] for r in g["rules"]]
    assert records and all(re.fullmatch(r"[a-z_]+:[a-z0-9_]+:[a-z0-9_]+", r) for r in records)


def test_prometheus_rule_resource_holds_the_same_groups() -> None:
    resource = load(GENERATED / "kubernetes" / "jam-rules.prometheusrule.yaml")
    assert (resource["apiVersion"], resource["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    groups = load(RULES / "jam_recording.rules.yaml")["groups"] + load(RULES / "jam_alerts.rules.yaml")["groups"]
    assert resource["spec"]["groups"] == groups


def test_every_runbook_url_anchor_is_a_heading_of_the_runbooks() -> None:
    text = (GENERATED / "docs" / "runbooks.md").read_text(encoding="utf-8")
    headings = {h.lower() for h in re.findall(r"^## (\S+)$", text, flags=re.M)}
    for alert in alerts():
        anchor = alert["annotations"]["runbook_url"].rsplit("#", 1)[1]
        assert anchor in headings, alert["alert"]


@pytest.mark.parametrize("alert", sorted({a["alert"] for a in alerts()}))
def test_every_alert_has_must_not_fire_cases_and_an_exact_firing_case(alert: str) -> None:
    tests = load(TESTS / f"{alert}.test.yaml")["tests"]
    names = " | ".join(t["name"] for t in tests)
    cases = [(t, c) for t in tests for c in t["alert_rule_test"]]
    assert all(t["interval"] for t in tests)
    quiet = [t["name"] for t, c in cases if c["exp_alerts"] == []]
    firing = [(t, c) for t, c in cases if c["exp_alerts"]]
    if alert not in ("JamCleanupStale", "JamCleanupNeverSucceeded"):  # raw exprs: their cases come from the spec
        assert any("does not fire before for" in n for n in quiet), names
        assert any("fires once for" in n for t, c in firing for n in [t["name"]]), names
        if "Budget" not in alert and alert not in ("JamTargetDown", "JamMetricsAbsent"):
            assert any("just below" in n for n in quiet), names
    assert firing, names
    expected = firing[0][1]["exp_alerts"][0]
    rule = next(a for a in alerts() if a["alert"] == alert)
    assert set(expected["exp_annotations"]) == set(rule["annotations"])
    assert "{{" not in "".join(expected["exp_annotations"].values())
    assert expected["exp_labels"]["severity"] == rule["labels"]["severity"]
