"""compat.compare: each kind of change between two resolved models, breaking or safe, and acknowledgements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from compat_specs import (BASE, add_metric, change_unit, edited, remove_metric, rename_metric, set_field, set_label, waive,
                          write)

from jamdash import codes
from jamdash.diff import compare as compat

from jamdash.model import references
from jamdash.diff.change import Change, blocking
from jamdash.diff.compare import compare
from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.model.references import ALERT, DASHBOARD, Use
from jamdash.promql.walk import series_names


def model(tmp_path: Path, spec: dict[str, Any], name: str = "new") -> Model:
    (tmp_path / name).mkdir(exist_ok=True)
    result = build(str(write(tmp_path / name / "metrics_spec.yaml", spec)))
    assert result.model is not None, result.findings
    return result.model


def changes(tmp_path: Path, *edits: Any, base: dict[str, Any] | None = None) -> list[Change]:
    return compare(model(tmp_path, base or BASE, "old"), model(tmp_path, edited(*edits, base=base)))


def line_of(tmp_path: Path, start: str) -> int:
    """The 1-based line of the working spec that starts with start."""
    lines = (tmp_path / "new" / "metrics_spec.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def kinds(found: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.kind, c.subject, c.status) for c in found]


def test_no_change_gives_nothing(tmp_path: Path) -> None:
    assert changes(tmp_path) == []


def test_additions_are_safe(tmp_path: Path) -> None:
    found = changes(tmp_path, add_metric("jam_new_total", {"type": "counter", "help": "New.", "labels": ["store"]}),
                    set_label("reason", "values", ["too_large", "unsupported_media", "banned"]),
                    set_field("jam_rejects_total", "labels", ["reason", "store"]))
    assert kinds(found) == [
        (codes.COMPAT_METRIC_ADDED, "jam_new_total", "safe"),
        (codes.COMPAT_LABEL_ADDED, "jam_rejects_total", "safe"),
        (codes.COMPAT_LABEL_VALUE_ADDED, "label reason", "safe"),
    ]
    assert found[2].message == "label 'reason' now also takes 'banned' on jam_rejects_total"
    assert not blocking(found)


def test_metric_removed_is_breaking_and_points_at_the_metrics_section(tmp_path: Path) -> None:
    [change] = changes(tmp_path, remove_metric("jam_rejects_total"))
    assert (change.kind, change.status) == (codes.COMPAT_METRIC_REMOVED, "breaking")
    assert change.message == "jam_rejects_total removed (a counter)"
    assert change.position.line == line_of(tmp_path, "metrics:")


def test_metric_renamed_is_detected_and_says_how_to_keep_the_old_name(tmp_path: Path) -> None:
    [change] = changes(tmp_path, rename_metric("jam_uploads_total", "jam_stored_total"))
    assert (change.kind, change.subject, change.status) == (codes.COMPAT_METRIC_RENAMED, "jam_uploads_total", "breaking")
    assert "renamed_to: jam_stored_total" in change.message


def test_rename_kept_as_deprecated_is_safe(tmp_path: Path) -> None:
    found = changes(tmp_path, rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True))
    assert kinds(found) == [(codes.COMPAT_METRIC_ADDED, "jam_stored_total", "safe"),
                            (codes.COMPAT_METRIC_DEPRECATED, "jam_uploads_total", "safe")]
    assert "renamed to jam_stored_total" in found[1].message


def test_removing_a_metric_deprecated_in_the_base_is_acknowledged(tmp_path: Path) -> None:
    base = edited(rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True))
    [change] = changes(tmp_path, remove_metric("jam_uploads_total"), base=base)
    assert (change.kind, change.status) == (codes.COMPAT_METRIC_REMOVED, "acknowledged")
    assert change.acknowledged == "deprecated in the base: Renamed to jam_stored_total."


@pytest.mark.parametrize(("edit", "kind", "message"), [
    (set_field("jam_pending", "type", "histogram"), codes.COMPAT_TYPE_CHANGED,
     "jam_pending changed type from gauge to histogram"),
    (change_unit("jam_upload_size", "bytes"), codes.COMPAT_UNIT_CHANGED,
     "jam_upload_size changed unit from '' to 'bytes'"),
    (set_field("jam_upload_duration_seconds", "buckets", [0.01, 0.1, 0.5, 1]), codes.COMPAT_BUCKETS_CHANGED,
     "jam_upload_duration_seconds changed buckets from [0.01, 0.1, 1] to [0.01, 0.1, 0.5, 1]; "
     "quantiles across the change are wrong"),
    (set_field("jam_pending", "labels", ["store"]), codes.COMPAT_LABEL_REMOVED, "label 'service_id' removed from jam_pending"),
])
def test_breaking_changes_to_a_metric(tmp_path: Path, edit: Any, kind: str, message: str) -> None:
    extra = [set_field("jam_pending", "buckets", [1, 10])] if kind == codes.COMPAT_TYPE_CHANGED else []
    found = [c for c in changes(tmp_path, edit, *extra) if c.kind == kind]
    assert [(c.message, c.status) for c in found] == [(message, "breaking")]


def test_label_renamed_by_its_name_field(tmp_path: Path) -> None:
    found = changes(tmp_path, set_label("store", "name", "backend"))
    assert {(c.kind, c.subject, c.status) for c in found} == {
        (codes.COMPAT_LABEL_RENAMED, m, "breaking")
        for m in ("jam_uploads_total", "jam_upload_duration_seconds", "jam_pending")}
    assert "label 'store' of jam_pending renamed to 'backend'" in {c.message for c in found}


def test_closed_value_removed_is_one_change_at_the_label_listing_its_metrics(tmp_path: Path) -> None:
    [change] = changes(tmp_path, set_label("store", "values", ["memory"]))
    assert (change.kind, change.subject, change.status) == (codes.COMPAT_LABEL_VALUE_REMOVED, "label store", "breaking")
    assert change.message == ("label 'store' no longer takes 'postgres' on jam_pending, "
                              "jam_upload_duration_seconds, jam_uploads_total")
    assert change.position == (line_of(tmp_path, "    values:"), 5)  # the first: the store label's


def test_overflow_value_change_of_a_bounded_label_removes_the_old_overflow(tmp_path: Path) -> None:
    [change] = changes(tmp_path, set_label("service_id", "overflow", "unknown"))
    assert change.kind == codes.COMPAT_LABEL_VALUE_REMOVED
    assert "folds into 'unknown' instead of 'other'" in change.message


def test_a_waiver_naming_the_change_acknowledges_it(tmp_path: Path) -> None:
    found = changes(tmp_path, set_field("jam_upload_duration_seconds", "buckets", [0.01, 0.1, 0.5, 1]),
                    waive("jam_upload_duration_seconds", codes.COMPAT_BUCKETS_CHANGED))
    assert kinds(found) == [(codes.COMPAT_BUCKETS_CHANGED, "jam_upload_duration_seconds", "acknowledged")]
    assert not blocking(found)


def test_a_waiver_on_some_metrics_leaves_the_value_removal_breaking_on_the_others(tmp_path: Path) -> None:
    found = changes(tmp_path, set_label("store", "values", ["memory"]),
                    waive("jam_pending", codes.COMPAT_LABEL_VALUE_REMOVED))
    [change] = found
    assert change.status == "breaking"
    assert change.message.endswith("on jam_upload_duration_seconds, jam_uploads_total")


def alert_on(metric: str, alert: str = "JamUploadsStopped") -> Any:
    """Stands in for the alerts section (branch `rules`) until it lands: an alert reading metric."""
    def source(m: Model) -> Any:
        yield Use(ALERT, alert), series_names(f"rate({metric}[5m]) == 0")
        yield Use(DASHBOARD, "JAM overview", "Uploads"), series_names(f"sum(rate({metric}[5m]))")
    return source


def test_each_change_lists_the_alerts_and_dashboards_it_affects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = references.sources()
    monkeypatch.setattr(references, "sources", lambda: (*real, alert_on("jam_upload_duration_seconds_bucket")))
    [change] = changes(tmp_path, set_field("jam_upload_duration_seconds", "buckets", [0.01, 1]))
    assert change.affects == ("alert JamUploadsStopped", "dashboard JAM overview (Uploads)")


def test_a_metric_an_alert_still_reads_is_a_gone_dependency_even_if_deprecated_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = references.sources()
    monkeypatch.setattr(references, "sources", lambda: (*real, alert_on("jam_rejects_total", "JamRejects")))
    base = edited(set_field("jam_rejects_total", "deprecated", {"reason": "unused"}))
    [change] = changes(tmp_path, remove_metric("jam_rejects_total"), base=base)
    assert (change.kind, change.status) == (codes.COMPAT_DEPENDENCY_GONE, "breaking")
    assert change.message == ("jam_rejects_total is gone but alert JamRejects, dashboard JAM overview (Uploads) "
                              "still query it")


def test_a_rename_kept_as_deprecated_keeps_the_readers_of_the_old_name_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = references.sources()
    monkeypatch.setattr(references, "sources", lambda: (*real, alert_on("jam_uploads_total")))
    new = model(tmp_path, edited(rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True)))
    # the alert reads the old name, which the compat recording rule computes from the new metric
    assert references.alerts_and_dashboards(references.used_by(new, "jam_stored_total")) == (
        Use(ALERT, "JamUploadsStopped"), Use(DASHBOARD, "JAM overview", "Uploads"))
