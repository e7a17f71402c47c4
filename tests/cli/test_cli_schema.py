"""`jamdash schema`: a valid JSON Schema that accepts the repository's spec and rejects bad shapes."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pydantic_core import ValidationError
from conftest import GENERATED, SPEC

from jamdash.cli import cli
from jamdash.spec.validator import validate


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.output)
    return parsed


def spec_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


def test_is_a_valid_json_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_accepts_the_repository_spec(schema: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(spec_data()))
    assert errors == []


@pytest.mark.parametrize("change", [
    lambda d: d["metrics"]["jam_reports_total"].update(hlep="typo"),
    lambda d: d["metrics"]["jam_reports_total"].update(type="countr"),
    lambda d: d["metrics"]["jam_reports_total"].update(labels="store"),
    lambda d: d["labels"]["store"].update(max_values=0),
    lambda d: d.update(max_series="many"),
    lambda d: d.update(scrape_interval="15 seconds"),
    lambda d: d.pop("version"),
    lambda d: d["metrics"]["jam_package_pending_gauge"]["waivers"][0].pop("reason"),
    lambda d: d["metrics"]["jam_package_pending_gauge"]["waivers"][0].update(reason="  "),
    lambda d: next(iter(d["alerts"].values())).update({"for": "5 minutes"}),
    lambda d: next(iter(d["alerts"].values())).update(for_="5m"),
    lambda d: d["slo"][0].update(objective=1.5),
    lambda d: d["alerting"]["receivers"].update(pager="jam-page"),
    lambda d: d["recording_rules"][0].update(windows=[]),
    lambda d: d["metrics"]["jam_reports_total"].update(deprecated={"reason": "Old.", "until": "soon"}),
])
def test_rejects_what_the_loader_rejects(schema: dict[str, Any], change: Any) -> None:
    data = spec_data()
    change(data)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER  # editors check `format: date` too
    assert list(jsonschema.Draft202012Validator(schema, format_checker=checker).iter_errors(data)) != []
    with pytest.raises(ValidationError):  # both are built from the same declarations: they agree
        validate(data)


def test_matches_the_generated_copy(schema: dict[str, Any]) -> None:
    committed = json.loads((GENERATED / "schema" / "metrics_spec.schema.json").read_text(encoding="utf-8"))
    assert committed == schema


def test_the_spec_points_editors_at_the_schema() -> None:
    first = SPEC.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (SPEC.parent / match.group(1)).resolve() == (GENERATED / "schema" / "metrics_spec.schema.json").resolve()
