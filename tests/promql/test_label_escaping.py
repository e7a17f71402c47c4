"""One escaping of label values (promql/build.py): dashboards, rules and rule tests stay valid PromQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import promql_parser
import pytest
from click.testing import CliRunner, Result
from conftest import SPEC, require_tool

from jamdash.cli import cli
from jamdash.promql.build import matcher, quote, regex_union

HOSTILE = ["v1.2", "a|b", 'q"x', "back\\slash", "a b", "(x)*", "new\nline"]


def _matchers(expr: str) -> dict[str, tuple[str, str]]:
    node = promql_parser.parse(expr)
    return {m.name: (str(m.op), m.value) for m in node.matchers.matchers}


@pytest.mark.parametrize("value", HOSTILE)
def test_one_value_round_trips_through_the_parser(value: str) -> None:
    assert _matchers(f"m{{{matcher('l', [value])}}}") == {"l": ("MatchOp.Equal", value)}
    assert promql_parser.parse(f"m{{l={quote(value)}}}") is not None


def test_several_values_make_a_regex_matching_exactly_them() -> None:
    op, regex = _matchers(f"m{{{matcher('l', HOSTILE)}}}")["l"]
    assert op == "MatchOp.Re" and regex == regex_union(HOSTILE)
    for value in HOSTILE:
        assert re.fullmatch(regex, value, re.DOTALL)
    for near in ["v1x2", "a", "b", "(x)", "xx"]:
        assert not re.fullmatch(regex, near, re.DOTALL)


def _hostile_spec(tmp_path: Path) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    text = text.replace("    values: [2xx, 3xx, 4xx, 5xx]",
                        "    values: [2xx, 3xx, 4xx, 5xx, v1.2, 'a|b', 'q\"x', 'back\\slash', 'a b']")
    text = text.replace("match: {code_class: [4xx, 5xx]}", "match: {code_class: [v1.2, 'a|b', 'back\\slash', 'a b']}")
    text = text.replace("match: {code_class: [5xx]}", "match: {code_class: ['q\"x']}")
    text = text.replace("total: {metric: jam_http_requests_total, match: {endpoint: preimage_put}}",
                        "total: {metric: jam_http_requests_total, match: {code_class: 'q\"x'}}")
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def _jamdash(*args: str) -> Result:
    """The CLI in this process (the interpreter's start and imports paid once), in the current folder."""
    return CliRunner().invoke(cli, list(args))


@pytest.mark.slow
def test_match_values_with_regex_and_quote_characters_generate_valid_dashboards_and_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("promtool")
    _hostile_spec(tmp_path)
    monkeypatch.chdir(tmp_path)
    generated = _jamdash("generate", "--out", "gen")
    assert generated.exit_code == 0, generated.output
    exprs = [target["expr"] for board in (tmp_path / "gen" / "grafana").rglob("*.json")
             for panel in json.loads(board.read_text()).get("panels", []) for target in panel.get("targets", [])
             if "code_class" in target.get("expr", "")]
    assert exprs
    seen = set()
    for expr in exprs:
        expr = expr.replace("$__rate_interval", "5m").replace("$", "")  # the template variables Grafana fills
        for node_text in re.findall(r"jam_http_requests_total\{[^}]*\}", expr):
            seen.add(_matchers(node_text).get("code_class"))
        promql_parser.parse(expr)
    assert ("MatchOp.Re", regex_union(["v1.2", "a|b", "back\\slash", "a b"])) in seen
    assert ("MatchOp.Equal", 'q"x') in seen
    linted = _jamdash("lint", "--out", "gen")  # promtool checks the rules and runs their tests
    assert linted.exit_code == 0, linted.output
