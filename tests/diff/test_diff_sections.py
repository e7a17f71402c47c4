"""`jamdash diff` covers every section, not only metrics (issue 15 item 8): each edit of the repository's
spec gives the change ids it must, breaking or safe."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SPEC

from jamdash.diff.change import Change
from jamdash.diff.compare import compare
from jamdash.diff.report import markdown
from jamdash.model import Model
from jamdash.pipeline import build

TEXT = SPEC.read_text(encoding="utf-8")


def model_of(tmp_path: Path, text: str, name: str) -> Model:
    (tmp_path / name).mkdir()
    path = tmp_path / name / "metrics_spec.yaml"
    path.write_text(text, encoding="utf-8")
    result = build(str(path))
    assert result.model is not None, result.findings
    return result.model


def diff(tmp_path: Path, edited: str) -> list[Change]:
    return compare(model_of(tmp_path, TEXT, "old"), model_of(tmp_path, edited, "new"))


def shown(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.kind, c.status, c.message) for c in changes]


def edit(old: str, new: str, count: int = 1) -> str:
    assert TEXT.count(old) >= count, old
    return TEXT.replace(old, new, count)


def test_an_alert_threshold_change_is_reported(tmp_path: Path) -> None:
    # the user's pull request: 0.8 -> 0.7 gave "No metric changes."
    changes = diff(tmp_path, edit("      above: 0.8\n", "      above: 0.7\n"))
    assert shown(changes) == [("compat-alert-changed", "safe", "alert JamPendingQueueNearCap: threshold 0.8 → 0.7")]
    assert "alert JamPendingQueueNearCap: threshold 0.8 → 0.7" in markdown(changes, "metrics_spec.yaml", "main")


def test_alert_window_for_severity_and_removal(tmp_path: Path) -> None:
    text = edit("    for: 15m\n", "    for: 30m\n").replace("severity: warning\n    for: 5m\n    summary: Cleanup runs",
                                                              "severity: critical\n    for: 5m\n    summary: Cleanup runs")
    spec = yaml.safe_load(text)
    del spec["alerts"]["JamTargetDown"]
    found = {c.message for c in diff(tmp_path, yaml.safe_dump(spec, sort_keys=False))}
    assert {"alert JamRateLimitHitsSustained: for 15m → 30m", "alert JamCleanupFailing: severity warning → critical",
            "alert JamTargetDown removed (it paged or ticketed as critical); routes and silences that name it "
            "match nothing now"} <= found


def test_a_removed_recorded_series_is_breaking_unless_its_metric_waives_it(tmp_path: Path) -> None:
    entry = "  - {rate: jam_rate_limit_hits_total, by: [endpoint], windows: [5m]}\n"
    changes = diff(tmp_path, edit(entry, ""))
    assert shown(changes) == [("compat-record-removed", "breaking",
                               "recorded series job_endpoint:jam_rate_limit_hits:rate5m is no longer generated; queries "
                               "outside the spec that read it get nothing (it recorded jam_rate_limit_hits_total)")]
    waived = edit(entry, "").replace(
        "    labels: [endpoint]\n",
        "    labels: [endpoint]\n    waivers: [{rule: compat-record-removed, reason: Nobody reads it.}]\n", 1)
    (tmp_path / "waived").mkdir()
    assert [c.status for c in diff(tmp_path / "waived", waived)] == ["acknowledged"]


def test_slo_and_dashboard_changes(tmp_path: Path) -> None:
    text = edit("    objective: 0.99\n", "    objective: 0.995\n")
    text = text.replace("        - title: ", "        - title: Renamed ", 1)
    found = shown(diff(tmp_path, text))
    assert ("compat-slo-changed", "safe", "SLO ProcessingSuccess: objective 0.99 → 0.995") in found
    assert [c for c in found if c[0] == "compat-dashboard-changed" and "removed from" in c[2]]
    assert [c for c in found if c[0] == "compat-dashboard-changed" and "added to" in c[2]]


def test_a_removed_dashboard_is_breaking(tmp_path: Path) -> None:
    spec = yaml.safe_load(TEXT)
    del spec["dashboards"]["boards"]["rejects"]
    for alert in spec["alerts"].values():
        if alert.get("dashboard") == "rejects":
            alert["dashboard"] = "overview"
    spec["dashboards"]["boards"]["overview"]["panels"] = [
        p for p in spec["dashboards"]["boards"]["overview"]["panels"] if p.get("link") != "rejects"]
    found = [c for c in shown(diff(tmp_path, yaml.safe_dump(spec, sort_keys=False)))
             if c[0] == "compat-dashboard-removed"]
    assert found == [("compat-dashboard-removed", "breaking",
                      "dashboard jam-rejects ('JAM rate limits and quotas'): it is gone; links and bookmarks to /d/jam-rejects break")]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("        media_type: {kind: identifier, help: The declared media type.}\n", "",
     ("compat-event-field-removed", "breaking", "field 'media_type' removed from log event preimage_upload")),
    ("        pending_count: {kind: count, help: Packages pending after this one was accepted.}\n",
     "        pending_count: {kind: count, help: Packages pending after this one was accepted.}\n"
     "        note: {kind: identifier, optional: true, help: A note.}\n",
     ("compat-event-changed", "safe", "field 'note' added to log event package_submit")),
])
def test_log_event_fields(tmp_path: Path, old: str, new: str, expected: tuple[str, str, str]) -> None:
    assert expected in shown(diff(tmp_path, edit(old, new)))
