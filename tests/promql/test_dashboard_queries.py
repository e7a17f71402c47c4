"""Dashboard PromQL is built from the model: names from conventions, label keys as series names."""

from __future__ import annotations

from pathlib import Path

from conftest import SPEC

from jamdash.promql import panels as q
from jamdash.model import references
from jamdash.model import Model
from jamdash.pipeline import build

SCOPE = q.Scope(frozenset({"store"}))
TARGET = 'job=~"$job",instance=~"$instance"'


def test_selectors_filter_on_job_instance_and_variable_labels_the_metric_has(model: Model) -> None:
    put = model.metric("jam_preimage_put_total")
    quota = model.metric("jam_preimage_quota_reject_total")
    assert q.selector(put, SCOPE, {}) == f'jam_preimage_put_total{{{TARGET},store=~"$store"}}'
    assert q.selector(quota, SCOPE, {}) == f"jam_preimage_quota_reject_total{{{TARGET}}}"


def test_grouping_and_matching_use_the_label_name_not_its_key(model: Model) -> None:
    quota = model.metric("jam_preimage_quota_reject_total")
    assert q.rate(quota, SCOPE, {"quota_reason": ["too_large"]}, ["quota_reason"]) == (
        f'sum by (reason) (rate(jam_preimage_quota_reject_total{{{TARGET},reason="too_large"}}[$__rate_interval]))')


def test_ratio_quantile_age_and_reference(model: Model) -> None:
    fail, total = model.metric("jam_package_process_fail_total"), model.metric("jam_package_process_total")
    assert q.ratio(fail, {}, total, {}, SCOPE, ["store"]) == (
        f'sum by (store) (rate(jam_package_process_fail_total{{{TARGET},store=~"$store"}}[$__rate_interval])) / '
        f'sum by (store) (rate(jam_package_process_total{{{TARGET},store=~"$store"}}[$__rate_interval]))')
    duration = model.metric("jam_package_stage_duration_seconds")
    assert q.quantile(0.99, duration, SCOPE, {}, ["stage"]) == (
        f"histogram_quantile(0.99, sum by (le, stage) "
        f"(rate(jam_package_stage_duration_seconds_bucket{{{TARGET}}}[$__rate_interval])))")
    stamp = model.metric("jam_cleanup_last_success_timestamp_seconds")
    assert q.age(stamp, SCOPE, {}, []).startswith("time() - max(jam_cleanup_last_success_timestamp_seconds{")
    cap = model.metric("jam_config_max_pending_packages")
    assert q.reference(cap, SCOPE, 0.8) == f"0.8 * max(jam_config_max_pending_packages{{{TARGET}}})"
    assert q.reference(cap, SCOPE, 1) == f"max(jam_config_max_pending_packages{{{TARGET}}})"


def test_variable_queries_narrow_by_the_variables_before_them(model: Model) -> None:
    cap = model.metric("jam_config_max_pending_packages")
    assert q.label_values(cap, "instance", ["job"]) == 'label_values(jam_config_max_pending_packages{job=~"$job"}, instance)'


def test_references_know_which_dashboard_panels_read_a_metric(model: Model) -> None:
    uses = references.used_by(model, "jam_preimage_put_duration_seconds")
    assert (references.DASHBOARD, "JAM preimages", "Upload latency distribution") in {
        (u.kind, u.name, u.detail) for u in uses}


def test_the_deployment_selector_leads_every_selector(model: Model) -> None:
    scope = q.Scope(frozenset({"store"}), ('job=~"shop-.*"', 'namespace="payments"'))
    put = model.metric("jam_preimage_put_total")
    assert q.selector(put, scope, {}) == (
        f'jam_preimage_put_total{{job=~"shop-.*",namespace="payments",{TARGET},store=~"$store"}}')


def test_an_alert_reference_line_moves_with_the_alert_threshold(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    near_cap = text.index("  JamPendingQueueNearCap:")
    above = text.index("      above: 0.8\n", near_cap)
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text[:above] + "      above: 0.9\n" + text[above + len("      above: 0.8\n"):], encoding="utf-8")
    model = build(str(spec)).model
    assert model is not None and model.dashboards is not None
    panel = next(p for p in model.dashboards.board("pending-packages").panels if p.title == "Pending packages")
    line = next(t for t in panel.targets if t.legend == "JamPendingQueueNearCap threshold")
    assert line.expr == f'0.9 * max(jam_config_max_pending_packages{{job="jam",{TARGET}}})'
