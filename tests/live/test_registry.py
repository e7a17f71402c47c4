"""jamdash.live.assert_conforms: a service's tests check its registry against the spec, as --metrics-url does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from conftest import SPEC
from jamdash.cli import cli
from jamdash.live import NonConformance, assert_conforms, findings
from jamdash.model import Model
from servers import http_stub


def test_the_generated_module_conforms(jam_registry: CollectorRegistry) -> None:
    assert_conforms(jam_registry, spec=str(SPEC))
    assert findings(jam_registry, spec=str(SPEC)) == []


def test_a_metric_added_by_hand_fails_with_every_finding_listed(jam_registry: CollectorRegistry, model: Model) -> None:
    Counter("jam_handmade_total", "Made by hand.", registry=jam_registry).inc()
    with pytest.raises(NonConformance) as raised:
        assert_conforms(jam_registry, spec=str(SPEC))
    pos = model.source.key(("metrics",))
    assert [(f.rule, f.line, f.column) for f in raised.value.findings] == [("live-metric-undeclared", *pos)]
    assert f":{pos.line}:{pos.column}: error: [live-metric-undeclared] jam_handmade_total (a counter, 1 series) " \
           "is exposed by the registry but not declared" in str(raised.value)


def test_a_hand_made_registry_reports_what_it_lacks_and_what_differs(model: Model) -> None:
    registry = CollectorRegistry()
    Histogram("jam_package_stage_duration_seconds", "By hand.", ["stage"], buckets=[0.1, 1],
              registry=registry).labels("refine").observe(0.5)
    found = findings(registry, spec=str(SPEC))
    stage = model.metric("jam_package_stage_duration_seconds")
    assert [(f.rule, f.line) for f in found if f.rule != "live-metric-missing"] == [
        ("live-buckets", stage.position.line)]
    missing = {f.message.split()[0] for f in found if f.rule == "live-metric-missing"}
    assert missing == {m.name for m in model.metrics} - {stage.name}


def test_the_same_findings_as_the_metrics_url_check(jam_registry: CollectorRegistry) -> None:
    Counter("jam_handmade_total", "Made by hand.", ["store"], registry=jam_registry).labels("sqlite").inc()
    Histogram("jam_other_seconds", "By hand.", registry=jam_registry)
    body = generate_latest(jam_registry)
    with http_stub(lambda _: (200, "text/plain; version=0.0.4", body)) as stub:
        result = CliRunner().invoke(cli, ["check", "--spec", str(SPEC), "--metrics-url", stub.url, "--format", "json"])
    assert result.exit_code == 1
    served = [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)]
    assert served == sorted((f.rule, f.line, f.column) for f in findings(jam_registry, spec=str(SPEC)))
    assert [rule for rule, _, _ in served] == ["live-metric-undeclared", "live-metric-undeclared"]


def test_a_spec_with_errors_or_no_spec_is_an_error_not_a_pass(jam_registry: CollectorRegistry, tmp_path: Path) -> None:
    broken = tmp_path / "metrics_spec.yaml"
    broken.write_text("version: 1\nmetrics: {}\nmax_series: many\n")
    with pytest.raises(ValueError, match="has errors; run `jamdash lint`"):
        assert_conforms(jam_registry, spec=str(broken))
    with pytest.raises(FileNotFoundError, match="cannot read the spec"):
        assert_conforms(jam_registry, spec=str(tmp_path / "absent.yaml"))
