"""Spec's validator, built from the spec types' declared fields: strict, every problem listed, frozen records."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from typing import Any

import pytest
import yaml
from pydantic_core import ValidationError

from conftest import SPEC
from jamdash.spec import Spec
from jamdash.spec.alerts import DEFAULT_BURN_WINDOWS, AlertSpec, SloAlertSpec
from jamdash.spec.deployment import DeploymentSpec
from jamdash.spec.validator import validate

JAM: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
SMALL: dict[str, Any] = {"version": 1, "service": "shop", "max_series": 10,
                         "metrics": {"shop_jobs_total": {"type": "counter", "help": "Jobs."}}}


def problems(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors(include_url=False)]


def with_alert(alert: dict[str, Any]) -> dict[str, Any]:
    return {**SMALL, "alerts": {"ShopJobsStopped": {"severity": "warning", "for": "5m", "summary": "S.",
                                                     "description": "D.", "absent": {"metric": "shop_jobs_total"},
                                                     **alert}}}


def test_the_repository_spec_becomes_spec_records() -> None:
    spec = validate(JAM)
    assert isinstance(spec, Spec)
    assert set(spec.metrics) == set(JAM["metrics"])
    alert = next(iter(spec.alerts.values()))
    assert isinstance(alert, AlertSpec)
    assert alert.for_ == next(iter(JAM["alerts"].values()))["for"]


def test_defaults_are_filled_as_declared() -> None:
    spec = validate(SMALL)
    assert spec.scrape_interval == "15s" and spec.labels == {} and spec.alerting is None
    assert spec.deployment == DeploymentSpec()
    assert spec.deployment.dashboard_configmaps.labels == {"grafana_dashboard": "1"}  # a default factory's
    slo = validate({**SMALL, "slo": [{"name": "Jobs", "objective": 0.99, "errors": "a", "total": "b",
                                      "summary": "S."}]}).slo[0]
    assert slo.page == SloAlertSpec(severity="critical", for_="2m")
    assert slo.windows == list(DEFAULT_BURN_WINDOWS)
    assert slo.windows is not validate({**SMALL, "slo": [{"name": "Jobs", "objective": 0.99, "errors": "a",
                                                           "total": "b", "summary": "S."}]}).slo[0].windows


def test_a_whole_number_is_a_number_but_nothing_else_is_coerced() -> None:
    assert validate(with_alert({"absent": None, "rate": {"metric": "m", "window": "5m", "above": 2}})) \
        .alerts["ShopJobsStopped"].rate.above == 2.0  # type: ignore[union-attr]
    assert problems({**SMALL, "max_series": "10"}) == [(("max_series",), "int_type")]
    assert problems({**SMALL, "max_series": 10.0}) == [(("max_series",), "int_type")]
    assert problems({**SMALL, "service": 7}) == [(("service",), "string_type")]
    assert problems(with_alert({"for": 5})) == [(("alerts", "ShopJobsStopped", "for"), "string_type")]


def test_a_field_is_known_by_its_yaml_name_only() -> None:
    assert validate(with_alert({"for": "10m"})).alerts["ShopJobsStopped"].for_ == "10m"
    renamed = with_alert({"for_": "5m"})
    del renamed["alerts"]["ShopJobsStopped"]["for"]
    assert problems(renamed) == [
        (("alerts", "ShopJobsStopped", "for"), "missing"),
        (("alerts", "ShopJobsStopped", "for_"), "unexpected_keyword_argument"),
    ]


def test_constraints_and_dates() -> None:
    assert problems({**SMALL, "max_series": 0}) == [(("max_series",), "greater_than_equal")]
    assert problems({**SMALL, "scrape_interval": "15 seconds"}) == [(("scrape_interval",), "string_pattern_mismatch")]
    assert problems({**SMALL, "title": ""}) == [(("title",), "string_too_short")]
    deprecated = {"reason": "Old.", "until": "2026-13-01"}
    broken = {**SMALL, "metrics": {"shop_jobs_total": {"type": "counter", "deprecated": deprecated}}}
    assert problems(broken) == [(("metrics", "shop_jobs_total", "deprecated", "until"), "value_error")]
    for until in ("2026-12-01", datetime.date(2026, 12, 1)):
        metric = {"type": "counter", "deprecated": {**deprecated, "until": until}}
        deprecation = validate({**SMALL, "metrics": {"shop_jobs_total": metric}}).metrics["shop_jobs_total"].deprecated
        assert deprecation is not None and deprecation.until == datetime.date(2026, 12, 1)


def test_every_problem_is_listed() -> None:
    broken = {**JAM, "max_series": "many", "metrics": {**JAM["metrics"], "x_total": {"type": "counter", "lables": []}}}
    assert problems(broken) == [(("max_series",), "int_type"),
                                (("metrics", "x_total", "lables"), "unexpected_keyword_argument")]


def test_records_are_frozen_and_compare_by_value() -> None:
    spec = validate(SMALL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.service = "other"  # type: ignore[misc]
    assert spec == validate(SMALL)
    assert spec != validate({**SMALL, "service": "other"})
    assert dataclasses.replace(spec, service="other").service == "other"


def test_dashboards_events_and_fields_take_a_deprecation_without_renamed_to() -> None:
    spec = copy.deepcopy(JAM)
    retired = {"reason": "Replaced.", "until": "2027-03-31"}
    spec["dashboards"]["boards"]["preimages"]["deprecated"] = retired
    spec["telemetry"]["events"]["limit_reject"]["deprecated"] = {"reason": "Gone."}
    spec["telemetry"]["events"]["preimage_upload"]["fields"]["media_type"]["deprecated"] = retired
    validated = validate(spec)
    assert validated.dashboards is not None and validated.telemetry is not None
    board = validated.dashboards.boards["preimages"].deprecated
    assert board is not None and (board.reason, board.until) == ("Replaced.", datetime.date(2027, 3, 31))
    event = validated.telemetry.events["limit_reject"].deprecated
    assert event is not None and (event.reason, event.until) == ("Gone.", None)
    field = validated.telemetry.events["preimage_upload"].fields["media_type"].deprecated
    assert field is not None and field.until == datetime.date(2027, 3, 31)
    assert validated.dashboards.boards["overview"].deprecated is None
    assert validated.telemetry.events["preimage_upload"].deprecated is None

    spec["dashboards"]["boards"]["preimages"]["deprecated"] = {"reason": "x", "renamed_to": "overview"}
    spec["telemetry"]["events"]["limit_reject"]["deprecated"] = {"reason": " ", "until": "soon"}
    spec["telemetry"]["events"]["preimage_upload"]["fields"]["media_type"]["deprecated"] = {"until": "2027-03-31"}
    assert sorted(problems(spec)) == [  # renamed_to is a metric's only
        (("dashboards", "boards", "preimages", "deprecated", "renamed_to"), "unexpected_keyword_argument"),
        (("telemetry", "events", "limit_reject", "deprecated", "reason"), "string_pattern_mismatch"),
        (("telemetry", "events", "limit_reject", "deprecated", "until"), "value_error"),
        (("telemetry", "events", "preimage_upload", "fields", "media_type", "deprecated", "reason"), "missing"),
    ]
