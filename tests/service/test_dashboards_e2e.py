"""End to end: with a real Prometheus scraping the generated metrics under simulated traffic, every
panel query and every template variable of every generated dashboard returns data."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import GENERATED
from servers import Prometheus, jam_service, loopback_port, prometheus

from jamdash.service.faults import PROFILES

pytestmark = pytest.mark.slow

# Values that stand in for Grafana's variables: All for the multi-value ones, a short rate window
# (the test scrapes every second, so a minute holds plenty of samples).
RATE_WINDOW = "1m"
FILL_TIMEOUT = 45.0  # seconds of traffic for every panel to show data
_VARIABLE = re.compile(r"\$\{?(\w+)\}?")


def substitute(expr: str, all_values: dict[str, str]) -> str:
    """The query as Grafana would send it with every variable on All."""
    specials = {"__rate_interval": RATE_WINDOW, "__interval": "15s", "__range": "1h"}
    return _VARIABLE.sub(lambda m: specials.get(m.group(1)) or all_values[m.group(1)], expr)


def _dashboards() -> Iterator[dict[str, Any]]:
    for path in sorted((GENERATED / "grafana" / "dashboards").glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def _all_values(d: dict[str, Any]) -> dict[str, str]:
    return {v["name"]: v.get("allValue") or ".+" for v in d["templating"]["list"] if v["type"] == "query"}


RULE_FILES = sorted((GENERATED / "prometheus").glob("*.rules.yaml"))
RECORDED = re.compile(r"\b(\w+:\w+:\w+)\{")  # a recorded series' selector: level:metric:operations{...}


@pytest.fixture(scope="module")
def prom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    """Prometheus scraping the reference JAM service every second, after two scrapes, evaluating the
    generated rule files every second so the recorded series that panels read exist.

    The service runs the demo's faulty profile (what `jamdash demo` runs by default), so every
    panel has real requests behind it.
    """
    tmp = tmp_path_factory.mktemp("dashboards-e2e")
    port, target = loopback_port()
    with prometheus(tmp, targets=[target], rule_files=RULE_FILES, evaluation_interval="1s") as server, \
            jam_service(tmp, *sorted(PROFILES["faulty"]), port=port):
        server.wait_for_scrape()
        server.wait_for_rules()
        yield server


def test_recorded_panels_read_loaded_recording_rules(prom: Prometheus) -> None:
    """The panels that read recorded series name rules this Prometheus evaluates without errors."""
    read = {m.group(1) for d in _dashboards() for p in d["panels"] for t in p["targets"]
            for m in RECORDED.finditer(t["expr"])}
    rules = {r["name"]: r for g in prom.rule_groups() for r in g["rules"] if r["type"] == "recording"}
    assert len(read) >= 10, "the quantile and ratio panels read recorded series"
    assert read <= set(rules), f"panels read series no loaded rule records: {sorted(read - set(rules))}"
    assert all(rules[name]["health"] == "ok" for name in read), {n: rules[n].get("lastError") for n in read}


def silent_panels(prom: Prometheus, dashboards: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Every target whose query returns nothing, only NaN, or an error, named by dashboard, panel and refId."""
    silent, checked = [], 0
    for d in dashboards:
        values = _all_values(d)
        for panel in d["panels"]:
            for target in panel["targets"]:
                expr = substitute(target["expr"], values)
                where = f"dashboard '{d['title']}', panel '{panel['title']}', target {target['refId']}"
                checked += 1
                try:
                    result = prom.query(expr)
                except (ValueError, OSError) as exc:  # an API error, or the HTTP 400 it comes with
                    silent.append(f"{where} is rejected by Prometheus: {exc}")
                    continue
                if not result:
                    silent.append(f"{where} returns nothing: {expr}")
                elif all(sample["value"][1] == "NaN" for sample in result):
                    silent.append(f"{where} returns only NaN: {expr}")
    return silent, checked


def test_every_panel_target_returns_data(prom: Prometheus) -> None:
    # Real traffic takes a few seconds to reach every path (a slow package, a failed cleanup run):
    # give it a bounded time, then report whatever is still silent.
    dashboards = list(_dashboards())
    deadline = time.monotonic() + FILL_TIMEOUT
    silent, checked = silent_panels(prom, dashboards)
    while silent and time.monotonic() < deadline:
        time.sleep(0.5)
        silent, checked = silent_panels(prom, dashboards)
    assert not silent, "panels without data:\n" + "\n".join(silent)
    assert checked > 50


def test_a_panel_whose_query_returns_nothing_is_named(prom: Prometheus) -> None:
    d = next(_dashboards())
    d["panels"][0]["targets"][0]["expr"] = 'sum(rate(jam_no_such_total{job=~"$job"}[$__rate_interval]))'
    d["panels"][1]["targets"][0]["expr"] = "sum(rate(jam_no_such_total[$__rate_interval]"
    d["panels"][2]["targets"][0]["expr"] = "vector(0) / 0"
    silent, _ = silent_panels(prom, [d])
    assert len(silent) == 3
    assert silent[0].startswith(f"dashboard '{d['title']}', panel '{d['panels'][0]['title']}', target A returns nothing")
    assert f"panel '{d['panels'][1]['title']}', target A is rejected by Prometheus" in silent[1]
    assert f"panel '{d['panels'][2]['title']}', target A returns only NaN" in silent[2]


def test_every_template_variable_lists_values(prom: Prometheus) -> None:
    """label_values(selector, label), as Grafana runs it: /api/v1/label/<label>/values?match[]=selector."""
    found = {}
    for d in _dashboards():
        values = _all_values(d)
        for v in d["templating"]["list"]:
            if v["type"] != "query":
                continue
            m = re.fullmatch(r"label_values\((.+), (\w+)\)", v["definition"])
            assert m, f"{d['title']}: variable {v['name']} is not a label_values() query"
            listed = prom.api(f"label/{m.group(2)}/values", **{"match[]": substitute(m.group(1), values)})
            assert listed, f"dashboard '{d['title']}': variable '{v['name']}' lists no values"
            found[v["name"]] = listed
    assert found["job"] == ["jam"] and set(found["store"]) >= {"memory", "postgres"}

