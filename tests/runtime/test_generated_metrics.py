"""The generated metrics module as a host app uses it: registered, scraped, linted, type-checked."""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

from conftest import GENERATED, require_tool
from metrics_scrape import family_name, families, promtool_findings, scrape, series_by_metric, touch_all
from prometheus_client import REGISTRY, CollectorRegistry

from jamdash.model import Model

MODULE = GENERATED / "python" / "jam_metrics.py"
FORBIDDEN = ("jamdash", "yaml", "jinja2", "grafanalib", "pydantic", "click", "promql_parser")


def test_every_spec_metric_is_scraped_with_its_type_help_and_labels(jam_metrics: ModuleType, model: Model) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    touch_all(metrics, model)
    scraped = families(scrape(metrics.registry))
    assert sorted(scraped) == sorted(family_name(m) for m in model.metrics)
    for metric in model.metrics:
        family = scraped[family_name(metric)]
        assert (family.type, family.documentation) == (metric.type, metric.help), metric.name
        assert family.samples, metric.name
        for sample in family.samples:
            assert set(sample.labels) - {"le"} == set(metric.label_names), (metric.name, sample)


def test_budget_constant_is_the_models(jam_metrics: ModuleType, model: Model) -> None:
    assert jam_metrics.SERIES_BUDGET == model.total_series


def test_default_registry_is_the_apps_and_fresh_sets_are_isolated(jam_metrics: ModuleType) -> None:
    first, second = jam_metrics.JamMetrics.fresh(), jam_metrics.JamMetrics.fresh()
    first.jam_preimage_put_total["memory"].inc(3)
    assert first.registry.get_sample_value("jam_preimage_put_total", {"store": "memory"}) == 3
    assert second.registry.get_sample_value("jam_preimage_put_total", {"store": "memory"}) == 0
    assert REGISTRY.get_sample_value("jam_preimage_put_total", {"store": "memory"}) is None
    app_registry = CollectorRegistry()
    jam_metrics.JamMetrics(app_registry).jam_reports_total["postgres"].inc()
    assert app_registry.get_sample_value("jam_reports_total", {"store": "postgres"}) == 1
    default = jam_metrics.JamMetrics()
    try:
        default.jam_reports_total["memory"].inc()
        assert REGISTRY.get_sample_value("jam_reports_total", {"store": "memory"}) == 1
    finally:
        for collector in collectors(default):
            REGISTRY.unregister(collector)


def collectors(metrics: Any) -> list[Any]:
    """The prometheus_client collectors of a metrics set (a labelled family holds its parent)."""
    values = [getattr(metrics, name) for name in type(metrics).__slots__ if name != "registry"]
    return [getattr(value, "_metric", value) for value in values]


def test_closed_children_are_bound_at_registration(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    family = metrics.jam_http_requests_total
    get = metrics.registry.get_sample_value
    assert all(get("jam_http_requests_total", {"endpoint": e, "code_class": c}) == 0
               for e in ("status", "healthz", "package_submit") for c in ("2xx", "3xx", "4xx", "5xx"))
    assert len(family) == 0  # the mapping holds the keys used so far
    key = ("status", "5xx")
    child = family[key]
    assert family["status", "5xx"] is child and family[("status",) + ("5xx",)] is child
    assert family._metric.labels("status", "5xx") is child
    assert [k for k in family] == [key] and next(iter(family)) is key  # the first caller's own key object


def test_bad_label_values_fold_into_overflow_and_are_counted(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    get = metrics.registry.get_sample_value
    metrics.jam_attestations_total["mongodb"].inc()
    metrics.jam_attestations_total[None].inc()
    metrics.jam_attestations_total[("memory",)].inc()
    metrics.jam_http_requests_total["status"].inc()  # one value for two labels: both fold
    metrics.jam_http_requests_total["status", "2xx", "extra"].inc()
    assert get("jam_attestations_total", {"store": "other"}) == 3
    assert get("jam_http_requests_total", {"endpoint": "other", "code_class": "other"}) == 2
    folds = "jam_metrics_label_overflow_total"
    assert get(folds, {"metric": "jam_attestations_total", "label": "store"}) == 3
    assert get(folds, {"metric": "jam_http_requests_total", "label": "endpoint"}) == 2
    assert get(folds, {"metric": "jam_http_requests_total", "label": "code_class"}) == 2
    assert "mongodb" not in metrics.jam_attestations_total


def test_bounded_label_admits_max_values_then_folds(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    family = metrics.jam_package_submit_total
    for i in range(20):
        family["memory", f"svc-{i}"].inc()
    family["postgres", "svc-3"].inc()  # admitted values stay admitted on every store
    family["postgres", "other"].inc()  # the overflow value itself counts as a fold
    get = metrics.registry.get_sample_value
    assert get("jam_package_submit_total", {"store": "memory", "service_id": "svc-15"}) == 1
    assert get("jam_package_submit_total", {"store": "memory", "service_id": "svc-16"}) is None
    assert get("jam_package_submit_total", {"store": "memory", "service_id": "other"}) == 4
    assert get("jam_package_submit_total", {"store": "postgres", "service_id": "svc-3"}) == 1
    assert get("jam_metrics_label_overflow_total",
               {"metric": "jam_package_submit_total", "label": "service_id"}) == 5


def test_gauges_and_histograms_keep_their_own_api(jam_metrics: ModuleType) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    metrics.jam_package_pending_gauge["memory"].inc(5)
    metrics.jam_package_pending_gauge["memory"].dec(2)
    metrics.jam_config_max_pending_packages.set(1000)
    metrics.jam_package_stage_duration_seconds["attest"].observe(0.02)
    get = metrics.registry.get_sample_value
    assert get("jam_package_pending_gauge", {"store": "memory"}) == 3
    assert get("jam_config_max_pending_packages") == 1000
    assert get("jam_package_stage_duration_seconds_bucket", {"stage": "attest", "le": "0.025"}) == 1
    assert get("jam_package_stage_duration_seconds_bucket", {"stage": "attest", "le": "0.01"}) == 0


def test_promtool_accepts_the_scrape_except_waived_rules(jam_metrics: ModuleType, model: Model,
                                                         tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    metrics = jam_metrics.JamMetrics.fresh()
    touch_all(metrics, model)
    metrics.jam_attestations_total["unknown"].inc()
    result = subprocess.run([promtool, "check", "metrics"], input=scrape(metrics.registry),
                            capture_output=True, text=True, timeout=60)
    findings = promtool_findings(result.stdout + result.stderr)
    by_family = {family_name(m): m for m in model.metrics} | {m.name: m for m in model.metrics}
    unwaived = [(name, message, rule) for name, message, rule in findings
                if rule is None or name not in by_family or rule not in by_family[name].waived]
    assert not unwaived, unwaived
    assert result.returncode == (3 if findings else 0), result
    waived = {(m.name, rule) for m in model.metrics for rule in m.waived}
    assert ("jam_package_pending_gauge", "type-in-name") in waived
    assert ("jam_package_pending_gauge", "type-in-name") in {(name, rule) for name, _, rule in findings}


def test_mypy_strict_passes_and_literal_labels_are_checked(tmp_path: Path, mypy_cache: str) -> None:
    good = tmp_path / "good_usage.py"
    good.write_text(
        "from jam_metrics import JamMetrics\n"
        "m = JamMetrics.fresh()\n"
        'm.jam_attestations_total["memory"].inc()\n'
        'm.jam_http_requests_total["status", "5xx"].inc()\n'
        'm.jam_package_submit_total["postgres", "svc-7"].inc()\n'
        'm.jam_package_stage_duration_seconds["refine"].observe(0.1)\n'
        "m.jam_config_max_preimage_bytes.set(1)\n"
    )
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "from jam_metrics import JamMetrics\n"
        "m = JamMetrics.fresh()\n"
        'm.jam_attestations_total["mongodb"].inc()\n'
        'm.jam_http_requests_total["5xx", "status"].inc()\n'
        "m.jam_no_such_metric_total.inc()\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", mypy_cache,
         str(MODULE), str(good), str(bad)],
        capture_output=True, text=True, timeout=300, env={"MYPYPATH": str(MODULE.parent), "PATH": "/usr/bin:/bin"},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert {line.split(":")[0].rsplit("/", 1)[-1] + ":" + line.split(":")[1] for line in errors} == {
        "bad_usage.py:3", "bad_usage.py:4", "bad_usage.py:5"}, result.stdout


def test_docstrings_come_from_help_and_aliases_from_closed_values(jam_metrics: ModuleType, model: Model) -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "JamMetrics")
    docs = {}
    for node, after in zip(cls.body, cls.body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(after, ast.Expr) and isinstance(node.target, ast.Name):
            docs[node.target.id] = " ".join(str(ast.literal_eval(after.value)).split())
    for metric in model.metrics:
        assert docs[metric.name].startswith(metric.help), metric.name
    for label in model.labels:
        if label.closed:
            alias = "".join(part.capitalize() for part in label.key.split("_"))
            assert typing.get_args(getattr(jam_metrics, alias)) == label.values


def test_module_imports_only_prometheus_client_and_stdlib() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert imported - set(sys.stdlib_module_names) == {"prometheus_client"}
    probe = (
        "import sys; before = set(sys.modules); import jam_metrics; jam_metrics.JamMetrics.fresh()\n"
        "print('\\n'.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    result = subprocess.run([sys.executable, "-I", "-B", "-c", f"import sys; sys.path.insert(0, {str(MODULE.parent)!r})\n"
                             + probe], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(result.stdout.split())
    assert "prometheus_client" in loaded
    assert not loaded & set(FORBIDDEN), loaded
    assert loaded - set(sys.stdlib_module_names) == {"prometheus_client", "jam_metrics"}


def test_series_stay_within_each_metrics_budget_after_touching_everything(jam_metrics: ModuleType,
                                                                          model: Model) -> None:
    metrics = jam_metrics.JamMetrics.fresh()
    touch_all(metrics, model)
    counts = series_by_metric(scrape(metrics.registry))
    for metric in model.metrics:
        assert 0 < counts[family_name(metric)] <= metric.series_budget, metric.name
