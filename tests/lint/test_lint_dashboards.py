"""Dashboards lint rules that span sections; the per-panel rules have golden cases in tests/golden/dashboards."""

from __future__ import annotations

from pathlib import Path

from conftest import SPEC

from jamdash.pipeline import build


def test_an_alert_whose_dashboard_does_not_exist_is_reported_at_its_dashboard_field(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert "    dashboard: processing\n" in text
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text.replace("    dashboard: processing\n", "    dashboard: procesing\n", 1), encoding="utf-8")
    line = text[: text.index("    dashboard: processing\n")].count("\n") + 1
    found = [f for f in build(str(spec)).findings if f.rule == "alert-unknown-dashboard"]
    assert [(f.line, f.column) for f in found] == [(line, 16)]
    assert "'procesing' (uid jam-procesing)" in found[0].message and "processing" in found[0].message


def test_every_alert_dashboard_of_the_repository_spec_is_generated() -> None:
    result = build(str(SPEC))
    assert result.model is not None and result.model.dashboards is not None
    assert not [f for f in result.findings if f.rule == "alert-unknown-dashboard"]


def test_a_reference_line_from_an_alert_without_a_gauge_threshold_is_reported(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    ref = "alert: JamPendingQueueNearCap, color: orange}"
    assert ref in text
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text.replace(ref, "alert: JamTargetDown, color: orange}"), encoding="utf-8")
    found = [f for f in build(str(spec)).findings if f.rule == "dashboard-reference-alert"]
    assert len(found) == 1 and "'JamTargetDown' is not a gauge alert" in found[0].message
    assert "JamPendingQueueNearCap" in found[0].message  # lists the gauge alerts there are
