"""Every generated dashboard loads into grafana-foundation-sdk's dashboard model, losing nothing.

The SDK's from_json ignores keys it does not know, so loading alone proves little: the test loads,
encodes back, and requires every key and value we wrote to survive the round trip."""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED, ROOT, SPEC

from jamdash.generate import grafana
from jamdash.pipeline import build

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from grafana_foundation_sdk.cog.encoder import JSONEncoder
    from grafana_foundation_sdk.cog.plugins import register_default_plugins
    from grafana_foundation_sdk.models.dashboard import Dashboard

register_default_plugins()  # panel options and Prometheus queries decode into their typed models

DASHBOARDS = sorted((GENERATED / "grafana" / "dashboards").glob("*.json")) + sorted(
    (ROOT / "tests" / "golden" / "dashboards").glob("*/expected/grafana/dashboards/*.json"))


def lost(ours: Any, back: Any, path: str = "") -> Iterator[str]:
    """Paths whose key or value did not survive the round trip."""
    if isinstance(ours, dict):
        if not isinstance(back, dict):
            yield path or "/"
            return
        for key, value in ours.items():
            if key not in back:
                yield f"{path}.{key}"
            else:
                yield from lost(value, back[key], f"{path}.{key}")
    elif isinstance(ours, list):
        if not isinstance(back, list) or len(ours) != len(back):
            yield path
            return
        for i, (a, b) in enumerate(zip(ours, back)):
            yield from lost(a, b, f"{path}[{i}]")
    elif ours != back:
        yield f"{path}: {ours!r} became {back!r}"


def load_problems(dashboard: dict[str, Any]) -> list[str]:
    """Why the dashboard does not load into the SDK model: an exception, or what the model dropped."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            back = json.loads(json.dumps(Dashboard.from_json(copy.deepcopy(dashboard)), cls=JSONEncoder))
    except Exception as exc:  # the SDK raises whatever its decoders hit: KeyError, TypeError, ...
        return [f"from_json raised {type(exc).__name__}: {exc}"]
    return list(lost(dashboard, back))


@pytest.mark.parametrize("path", DASHBOARDS, ids=[f"{p.parent.parent.parent.name}/{p.stem}" for p in DASHBOARDS])
def test_dashboard_loads_into_the_sdk_model(path: Path) -> None:
    problems = load_problems(json.loads(path.read_text(encoding="utf-8")))
    assert not problems, f"{path.name} does not load cleanly: {problems[:10]}"


def test_grafanalib_legacy_json_does_not_load() -> None:
    """The check has teeth: grafanalib's own schemaVersion 12 output fails it."""
    from grafanalib._gen import DashboardEncoder

    model = build(str(SPEC)).model
    assert model is not None and model.dashboards is not None
    board = model.dashboards.board("preimages")
    legacy = json.loads(json.dumps(grafana.build(board, model.dashboards).to_json_data(), cls=DashboardEncoder))
    assert load_problems(legacy)


def test_a_misspelt_or_mistyped_field_does_not_load() -> None:
    d = json.loads(DASHBOARDS[0].read_text(encoding="utf-8"))
    misspelt = copy.deepcopy(d)
    misspelt["panels"][0]["fieldconfig"] = misspelt["panels"][0].pop("fieldConfig")
    assert any(".panels[0].fieldconfig" in p for p in load_problems(misspelt))
    mistyped = copy.deepcopy(d)
    mistyped["panels"][0]["gridPos"] = [0, 0, 12, 8]
    assert load_problems(mistyped)
