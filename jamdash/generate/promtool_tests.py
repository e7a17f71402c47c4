"""Generator of promtool unit tests: a file per alert, one per window for recordings.

An SLO alert gets a second file for its long windows; a raw alert, one per interval of its cases.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from jamdash.generate.header import commented
from jamdash.generate.prometheus_rules import alerts_path, recording_path
from jamdash.generate.yamltext import dump
from jamdash.model import Model
from jamdash.promql.build import label_set
from jamdash.promql.template import render
from jamdash.generate.rule_tests.alert_cases import Case, cases
from jamdash.generate.rule_tests.recording_cases import ExprCase, expr_case, merged, reads
from jamdash.generate.rule_tests.slo_cases import raw_cases, slo_cases
from jamdash.model.rules import Alert
from jamdash.spec.common import format_duration

TESTS_DIR = "prometheus/tests"
WINDOWS = "windows"  # the part of an SLO alert's tests that runs past its short windows, at a coarser step
CASES = "; "  # between the names of the cases of one test (cases on the same input)


def rule_files(service: str) -> list[str]:
    """The rule files a test under prometheus/tests/ loads, relative to it."""
    return [f"../{path.rsplit('/', 1)[1]}" for path in (recording_path(service), alerts_path(service))]


def alert_test_path(alert: str, part: str = "") -> str:
    """An alert's test file; part names a further file of its cases (promtool allows one evaluation_interval
    per file)."""
    return f"{TESTS_DIR}/{alert}{'.' + part if part else ''}.test.yaml"


def _series(case_series: tuple[Any, ...]) -> list[dict[str, str]]:
    return [{"series": s.series, "values": s.values} for s in case_series]


def _alert_test(alert: Alert, same: list[Case], step: int) -> dict[str, Any]:
    """One promtool test of cases on the same input: promtool evaluates it once, checking each case's time."""
    def expected(case: Case) -> list[dict[str, Any]]:
        return [{
            "exp_labels": {**dict(f.labels), **dict(f.alert.labels)},
            "exp_annotations": {k: render(v, dict(f.labels), f.value) for k, v in f.alert.annotations},
        } for f in case.fired]
    return {
        "name": f"{alert.name}: " + CASES.join(case.name for case in same),
        "interval": format_duration(same[0].interval_ms or step),
        "input_series": _series(same[0].series),
        "alert_rule_test": [{"eval_time": format_duration(case.eval_ms), "alertname": alert.name,
                             "exp_alerts": expected(case)} for case in same],
    }


def same_input(found: tuple[Case, ...]) -> list[list[Case]]:
    """The cases by their input (series and interval), in order: each group is one promtool test, as
    promtool evaluates every rule at every step up to a test's last eval_time (the fault just before and
    once `for:` has passed is one run)."""
    groups: dict[tuple[Any, ...], list[Case]] = {}
    for case in found:
        groups.setdefault((case.series, case.interval_ms), []).append(case)
    return list(groups.values())


def alert_cases(model: Model, rules: list[Alert]) -> list[tuple[str, int, tuple[Case, ...]]]:
    """The test files of one alert (the rules sharing its name: an SLO alert's window pairs): each file's
    path, evaluation interval and cases."""
    alert = rules[0]
    if alert.intent.kind == "slo":
        (steps, found), (window_steps, windows) = slo_cases(model, rules)
        return [(alert_test_path(alert.name), steps.every_ms, found),
                (alert_test_path(alert.name, WINDOWS), window_steps.every_ms, windows)]
    if alert.intent.kind == "expr":
        files = raw_cases(alert)
        return [(alert_test_path(alert.name, f"every_{format_duration(step)}" if i else ""), step, found)
                for i, (step, found) in enumerate(files)]
    step, found = cases(model, alert)
    return [(alert_test_path(alert.name), step, found)]


def by_name(model: Model) -> dict[str, list[Alert]]:
    """The alert rules under each alert name, by name."""
    named: dict[str, list[Alert]] = {}
    for alert in model.rules.alerts:
        named.setdefault(alert.name, []).append(alert)
    return dict(sorted(named.items()))


def _expr_test(cases: list[ExprCase]) -> dict[str, Any]:
    """One promtool test of the recorded series of cases, on their shared input."""
    records = [case.record for case in cases]
    return {
        "name": f"recorded {records[0]}" + (f" and {len(records) - 1} more" if len(records) > 1 else ""),
        "interval": format_duration(cases[0].interval_ms),
        "input_series": _series(tuple(dict.fromkeys(s for case in cases for s in case.series))),
        "promql_expr_test": [_expected(case) for case in cases],
    }


def _expected(case: ExprCase) -> dict[str, Any]:
    return {"expr": case.record, "eval_time": format_duration(case.eval_ms),
            "exp_samples": [{"labels": case.record + label_set(case.labels), "value": case.value}]}


def group_order(model: Model) -> list[str]:
    """Recording groups first, so alerts read this evaluation's recorded series (promtool's own
    order is random, and an interval longer than the 5m lookback would otherwise hide them)."""
    recording = list(dict.fromkeys(r.group for r in model.rules.recording))
    return recording + sorted({a.group for a in model.rules.alerts})


def _document(model: Model, step: int, tests: list[dict[str, Any]]) -> str:
    return commented(model.spec_path) + dump({
        "rule_files": rule_files(model.service),
        "evaluation_interval": format_duration(step),
        "group_eval_order": group_order(model),
        "tests": tests,
    })


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if not model.rules:
        return
    for rules in by_name(model).values():
        for path, step, found in alert_cases(model, rules):
            yield path, _document(model, step, [_alert_test(rules[0], same, step) for same in same_input(found)])
    by_window: dict[int, list[ExprCase]] = {}
    for rule in model.rules.recording:
        case = expr_case(model, rule)
        by_window.setdefault(case.interval_ms, []).append(case)
    read = reads(model)
    for step, expr_cases in sorted(by_window.items()):
        name = f"{TESTS_DIR}/{model.service}_recording_every_{format_duration(step)}.test.yaml"
        ordered = sorted(expr_cases, key=lambda c: c.record)
        # A recorded series is only read at its eval_time: evaluating the rules there (and at 0) is enough,
        # where the input's step would cost promtool an evaluation of every rule at each sample.
        every = math.gcd(*(case.eval_ms for case in ordered))
        yield name, _document(model, every, [_expr_test(group) for group in merged(model, ordered, read)])
