"""The loader: every rule with its exact position, and no traceback whatever the input."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from speckit import BASE, findings, message, where, write_spec

from jamdash.load import spec_file as loader

from jamdash.load import yaml_nodes as yamlread
from jamdash.cli import cli
from jamdash.pipeline import build

# --- reading the file -----------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert where(tmp_path, "") == ["1:1 spec-empty"]


def test_comments_and_blank_lines_only(tmp_path: Path) -> None:
    assert where(tmp_path, "# just a comment\n\n   \n") == ["1:1 spec-empty"]


def test_binary_garbage_points_at_the_first_bad_byte(tmp_path: Path) -> None:
    assert where(tmp_path, b"version: 1\nservice: jam\nmax\xff\xfe\x00garbage") == ["3:4 spec-encoding"]


def test_nul_bytes(tmp_path: Path) -> None:
    assert where(tmp_path, b"version: 1\nservice: jam\nmax_series:\x00 3\n") == ["3:12 spec-encoding"]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert where(tmp_path, b"\xef\xbb\xbf" + BASE.encode()) == []


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "metrics_spec.yaml"
    with open(path, "wb") as fh:
        fh.write(b"version: 1\nservice: jam\n" + (b"#" * 79 + b"\n") * (50 * 1024 * 1024 // 80))
    assert path.stat().st_size > 50_000_000
    started = time.monotonic()
    doc, spec, found = loader.load(str(path))
    assert time.monotonic() - started < 2
    assert (doc, spec) == (None, None)
    assert [(f.line, f.column, f.rule) for f in found] == [(1, 1, "spec-too-large")]


def test_unreadable_path(tmp_path: Path) -> None:
    _, _, found = loader.load(str(tmp_path))  # a directory
    assert [(f.line, f.column, f.rule) for f in found] == [(1, 1, "spec-unreadable")]


def test_device_file_is_read_only_up_to_the_limit() -> None:
    _, _, found = loader.load("/dev/zero")
    assert [f.rule for f in found] == ["spec-too-large"]


# --- YAML syntax and values -----------------------------------------------------------------------


def test_tabs(tmp_path: Path) -> None:
    assert where(tmp_path, "version: 1\nservice: jam\n\tmax_series: 3\n") == ["3:1 yaml-syntax"]
    assert "indent with spaces" in message(tmp_path, "version: 1\nservice: jam\n\tmax_series: 3\n", "yaml-syntax")


def test_unclosed_flow_sequence(tmp_path: Path) -> None:
    assert where(tmp_path, "version: 1\nservice: jam\nmetrics: [a\n") == ["4:1 yaml-syntax"]


def test_two_documents(tmp_path: Path) -> None:
    text = "version: 1\nservice: jam\n---\nversion: 1\nservice: jam\n"
    assert where(tmp_path, text) == ["3:1 yaml-syntax"]
    assert "one YAML document" in message(tmp_path, text, "yaml-syntax")


def test_undefined_alias(tmp_path: Path) -> None:
    assert where(tmp_path, "version: 1\nservice: jam\nmax_series: *nope\n") == ["3:13 yaml-syntax"]


def test_unreadable_scalar_is_reported_where_it_stands(tmp_path: Path) -> None:
    text = BASE + "    deprecated: {reason: old, until: 2025-13-45}\n"
    assert where(tmp_path, text) == ["13:38 yaml-value"]


@pytest.mark.parametrize("value", ["!!int x", "!!float x", "!!python/object:os.system x", "!custom x"])
def test_bad_tags(tmp_path: Path, value: str) -> None:
    assert where(tmp_path, f"version: 1\nservice: jam\nmax_series: {value}\nmetrics: {{}}\n") == ["3:13 yaml-value"]


def test_anchors_and_aliases_for_values_are_fine(tmp_path: Path) -> None:
    text = BASE.replace("labels: [store]", "labels: &l [store]") + (
        "  jam_other_total:\n    type: counter\n    help: Other things.\n    labels: *l\n")
    assert where(tmp_path, text) == []


def test_alias_bomb_is_stopped_quickly(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.monotonic()
    # f expands to 9**6 nodes, the first value over the limit: that is where it is reported
    assert where(tmp_path, "\n".join(rows) + "\n") == ["6:4 spec-too-large"]
    assert time.monotonic() - started < 1


def test_recursive_alias(tmp_path: Path) -> None:
    assert where(tmp_path, "a: &x [*x]\n") == ["1:4 spec-too-large"]
    assert "recursive alias" in message(tmp_path, "a: &x [*x]\n", "spec-too-large")


def test_a_large_document_without_aliases_is_sized_and_placed_alike(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlread, "MAX_NODES", 50)
    text = "a: {b: [" + ",".join(["x"] * 60) + "]}\nc: 1\n"
    assert where(tmp_path, text) == ["1:8 spec-too-large"]  # the smallest value over the limit: b, not a
    assert "expands to 61 YAML nodes" in message(tmp_path, text, "spec-too-large")
    assert not [f for f in where(tmp_path, "a: [" + ",".join(["x"] * 40) + "]\n") if "spec-too-large" in f]


def _expanded(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode):
        return 1 + sum(_expanded(k) + _expanded(v) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return 1 + sum(_expanded(item) for item in node.value)
    return 1


_TREES = st.recursive(st.integers() | st.text(max_size=3) | st.none(),
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                                                  max_size=4), max_leaves=30)


@given(_TREES)
def test_the_one_pass_size_of_an_alias_free_document_is_its_expanded_size(data: object) -> None:
    node = yaml.compose(yaml.safe_dump({"root": data}), Loader=yamlread._Loader)
    assert yamlread._tree_size(node) == _expanded(node)


def test_the_one_pass_size_gives_way_when_a_mapping_or_list_is_shared() -> None:
    shared = yaml.compose("a: &l [1, 2]\nb: *l\n", Loader=yamlread._Loader)
    assert yamlread._tree_size(shared) is None
    scalars = yaml.compose("a: &s text\nb: *s\nc: [*s, *s]\n", Loader=yamlread._Loader)
    assert yamlread._tree_size(scalars) == _expanded(scalars) == 9


def test_deep_nesting_within_yaml_limits(tmp_path: Path) -> None:
    text = "a: " + "{a: " * 50 + "1" + "}" * 50 + "\n"
    assert where(tmp_path, text) == ["1:196 spec-too-large"]


def test_extreme_nesting(tmp_path: Path) -> None:
    found = where(tmp_path, "[" * 100_000 + "\n")
    assert len(found) == 1 and found[0].split()[1] in {"yaml-syntax", "spec-too-large"}


# --- mapping keys ----------------------------------------------------------------------------------


def test_complex_key(tmp_path: Path) -> None:
    assert "1:3 yaml-key" in where(tmp_path, "? [a, b]\n: c\n")


def test_merge_key(tmp_path: Path) -> None:
    text = BASE + "  jam_more_total:\n    <<: {type: counter}\n    help: More.\n"
    assert "14:5 yaml-key" in where(tmp_path, text)


@pytest.mark.parametrize("key, kind", [("1", "a number"), ("yes", "a boolean"), ("null", "null"),
                                       ("2025-01-01", "a date"), ("1.5", "a number")])
def test_non_text_keys(tmp_path: Path, key: str, kind: str) -> None:
    text = BASE + f"  {key}:\n    type: counter\n    help: Odd.\n"
    assert where(tmp_path, text) == ["13:3 yaml-key"]
    assert f"as {kind}" in message(tmp_path, text, "yaml-key")


def test_quoted_keys_are_text(tmp_path: Path) -> None:
    assert where(tmp_path, BASE.replace("jam_things_total:", "'jam_things_total':")) == []


def test_duplicate_keys_at_every_level(tmp_path: Path) -> None:
    text = BASE.replace("max_series: 100\n", "max_series: 100\nmax_series: 200\n") + "    help: Again.\n"
    assert where(tmp_path, text) == ["4:1 duplicate-key", "14:5 duplicate-key"]
    assert "first defined at line 3" in findings(tmp_path, text)[0].message


def test_duplicate_key_keeps_the_first_value(tmp_path: Path) -> None:
    # the second max_series would make the budget fail; the first one stands
    text = BASE.replace("max_series: 100\n", "max_series: 100\nmax_series: 1\n")
    assert where(tmp_path, text) == ["4:1 duplicate-key"]


# --- shape -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_root_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    assert where(tmp_path, text) == ["1:1 wrong-type"]


def test_wrong_types(tmp_path: Path) -> None:
    text = BASE.replace("help: Things done.", "help: 3").replace("labels: [store]", "labels: store")
    assert where(tmp_path, text) == ["11:11 wrong-type", "12:13 wrong-type"]


def test_unquoted_yes_gets_a_quoting_hint(tmp_path: Path) -> None:
    text = BASE.replace("[memory, postgres]", "[memory, yes]")
    assert where(tmp_path, text) == ["7:22 wrong-type"]
    assert "quote it" in message(tmp_path, text, "wrong-type")


@pytest.mark.parametrize("old, new, pos", [
    ("type: counter", "type: countr", "10:11"),
    ("max_series: 100", "max_series: 0", "3:13"),
    ("version: 1", "version: 2", "1:10"),
    ("max_series: 100", "max_series: 100\nscrape_interval: 15 seconds", "4:18"),
    ("service: jam", "service: Jam", "2:10"),
])
def test_invalid_values(tmp_path: Path, old: str, new: str, pos: str) -> None:
    assert f"{pos} invalid-value" in where(tmp_path, BASE.replace(old, new))


def test_blank_waiver_reason(tmp_path: Path) -> None:
    text = BASE + "    waivers: [{rule: type-in-name, reason: ' '}]\n"
    assert where(tmp_path, text) == ["13:44 invalid-value"]
    assert "must not be blank" in message(tmp_path, text, "invalid-value")


def test_missing_fields(tmp_path: Path) -> None:
    text = BASE.replace("version: 1\n", "").replace("    type: counter\n", "")
    assert where(tmp_path, text) == ["1:1 missing-field", "8:3 missing-field"]
    assert "'type'" in findings(tmp_path, text)[1].message and "jam_things_total" in findings(tmp_path, text)[1].message


def test_missing_waiver_reason_points_at_the_waiver(tmp_path: Path) -> None:
    text = BASE + "    waivers:\n      - rule: type-in-name\n"
    assert where(tmp_path, text) == ["14:9 missing-field"]


def test_unknown_fields_suggest_the_right_name(tmp_path: Path) -> None:
    text = BASE.replace("labels:\n  store", "lables: {}\nlabels:\n  store").replace("    help: Things", "    hlep: Things")
    found = findings(tmp_path, text)
    assert [(f.line, f.column, f.rule) for f in found if f.rule == "unknown-field"] == [(4, 1, "unknown-field"),
                                                                                        (12, 5, "unknown-field")]
    assert "did you mean 'labels'?" in found[0].message
    assert "did you mean 'help'?" in [f for f in found if f.rule == "unknown-field"][1].message


def test_dates_quoted_or_not(tmp_path: Path) -> None:
    for until in ("2025-06-30", "'2025-06-30'"):
        assert where(tmp_path, BASE + f"    deprecated: {{reason: old, until: {until}}}\n") == []
    assert where(tmp_path, BASE + "    deprecated: {reason: old, until: 'June'}\n") == ["13:38 invalid-value"]


# --- every problem in one run ----------------------------------------------------------------------


ALL_AT_ONCE = """\
version: 1
service: jam
max_series: 100
max_series: 100
labels:
  store:
    help: The store.
    values: [memory, postgres]
metrics:
  jam_things_total:
    type: counter
    help: Things done.
    labels: [store, shard]
    colour: blue
  jam_other_total:
    type: counter
    help: 7
    labels: [store]
  jam_third_total:
    type: counter
    help: Third.
    labels: [nope]
"""


def test_all_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    assert where(tmp_path, ALL_AT_ONCE) == [
        "4:1 duplicate-key", "13:21 undeclared-label", "14:5 unknown-field", "17:11 wrong-type",
        "22:14 undeclared-label",
    ]


def test_entries_with_shape_errors_do_not_cause_follow_up_findings(tmp_path: Path) -> None:
    # the broken label is left out, but metrics using it are not told it is undeclared, the
    # broken metric does not make 'store' look unused, and the budget is not computed on a part
    text = BASE.replace("max_series: 100", "max_series: 1") + (
        "  jam_broken_total:\n    type: 5\n    labels: [store]\n"
        "  jam_x_total:\n    type: counter\n    help: X.\n    labels: [zone]\n")
    text = text.replace("labels:\n  store:", "labels:\n  zone: 3\n  store:")
    assert where(tmp_path, text) == ["5:9 wrong-type", "15:11 invalid-value"]


def test_a_broken_required_field_stops_before_lint(tmp_path: Path) -> None:
    text = BASE.replace("max_series: 100", "max_series: lots") + "    labels: [store, nope]\n"
    assert where(tmp_path, text) == ["3:13 wrong-type", "13:5 duplicate-key"]


# --- never a traceback -----------------------------------------------------------------------------

ADVERSARIAL = {
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "nul": b"version: 1\x00",
    "deep": b"[" * 100_000,
    "deep-mapping": b"a: " + b"{a: " * 5000 + b"1" + b"}" * 5000,
    "alias-bomb": b"a: &a [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
        f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi")),
    "list-root": b"- 1\n- 2\n",
    "scalar-root": b"hello",
    "non-string-keys": b"1: a\n? [b]\n: c\n<<: {d: 1}\nnull: 2\n",
    "tabs": b"version: 1\nservice: jam\n\tmetrics: {}\n",
    "bad-escape": b'version: "\\ud800"\n',
    "bad-date": b"version: 2025-02-30\n",
    "big-int": b"version: 1\nservice: jam\nmax_series: 1" + b"0" * 5000 + b"\nmetrics: {}\n",
    "huge-float": b"version: 1\nservice: jam\nmax_series: 1e400\nmetrics: {}\n",
    "set": b"version: 1\nservice: jam\nmetrics: !!set {a}\nmax_series: 1\n",
    "metric-is-list": b"version: 1\nservice: jam\nmax_series: 1\nmetrics: {jam_x_total: [1, 2]}\n",
    "labels-is-list": b"version: 1\nservice: jam\nmax_series: 1\nlabels: [a]\nmetrics: {jam_x_total: {type: counter, labels: [a]}}\n",
}

_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning): \[[a-z0-9-]+\] .+$")


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_input_gives_findings_not_a_traceback(tmp_path: Path, name: str) -> None:
    path = write_spec(tmp_path, ADVERSARIAL[name])
    result = CliRunner().invoke(cli, ["lint", "--spec", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert lines and all(_LINE.match(line) for line in lines), result.output
    assert "Traceback" not in result.output


# --- fuzzing: mutations of the real spec never raise ----------------------------------------------

_REAL = SPEC.read_text(encoding="utf-8")
_YAMLISH = st.text(alphabet=st.sampled_from(list("ab1 :-[]{},'\"&*!|>#\t\n?%@`~.") + ["\u00e9", "\x85"]),
                   max_size=200)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, len(_REAL)), length=st.integers(0, 40), insert=_YAMLISH)
def test_mutated_spec_never_raises(tmp_path: Path, start: int, length: int, insert: str) -> None:
    text = _REAL[:start] + insert + _REAL[start + length:]
    path = tmp_path / "metrics_spec.yaml"
    path.write_text(text, encoding="utf-8")
    result = build(str(path))  # must not raise
    assert result.model is not None or result.findings
    for f in result.findings:
        assert f.line >= 1 and f.column >= 1 and f.rule and f.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_YAMLISH)
def test_random_yamlish_text_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "metrics_spec.yaml"
    path.write_text(text, encoding="utf-8")
    result = build(str(path))
    assert result.model is None and result.findings


def test_a_dashboards_deprecation_is_positioned_like_a_metrics(tmp_path: Path) -> None:
    board = ("dashboards:\n  target_metric: jam_things_total\n  boards:\n    old:\n      title: Old\n"
             "      deprecated: {reason: Replaced., until: '2027-02-30', renamed_to: new}\n"
             "      panels: [{title: Things, kind: rate, metric: jam_things_total}]\n")
    assert where(tmp_path, BASE + board) == ["18:46 invalid-value", "18:60 unknown-field"]
    assert where(tmp_path, BASE + board.replace(", until: '2027-02-30', renamed_to: new", "")) == []
