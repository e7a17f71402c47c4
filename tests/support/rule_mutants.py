"""Mutants of the generated alerts, and which of them the generated promtool tests kill.

A mutant changes one thing in one alert rule of a copy of the rule files: a threshold (a number right of a
comparison) times 0.8 or 1.2, `for:` halved or doubled, or a range window of the expression halved. It is
killed when one of that alert's promtool tests fails against it. A change that leaves the text as it was
(0 × 1.2) is no mutant.

Every mutant is a folder holding its rule files (reduced to the mutated alert and the recorded series it
reads, which is what makes a run quick) and the alert's tests, one test a file. They run in rounds, two
promtool runs side by side each: round k runs the k-th test of every unmutated alert and of every mutant no
earlier test has killed. A mutant's verdict is that of running all its tests (killed by any failing one);
the rounds only skip the tests after the one that kills it (promtool's time is mostly a fixed cost per test).
"""

from __future__ import annotations

import copy
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jamdash.spec.common import duration_ms, format_duration

COMPARISON = re.compile(r"(>=|<=|==|!=|>|<)(\s*(?:bool\s+)?)(\d+(?:\.\d+)?(?:e[+-]?\d+)?)")
RANGE = re.compile(r"\[(\d+(?:ms|s|m|h|d|w|y))\]")
RECORD_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
BATCHES = 2  # promtool runs at once (CI has two cores)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML has it: ~20x faster
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Mutant:
    alert: str
    rule: int  # the index of the mutated rule among the rules of that name
    change: str
    expr: str
    for_: str


def _number(value: float) -> str:
    return format(value, ".12g")


def mutants_of(alert: str, rule: int, expr: str, for_: str) -> Iterator[Mutant]:
    """Every mutant of one alert rule."""
    for match in COMPARISON.finditer(expr):
        old = float(match.group(3))
        for factor in (0.8, 1.2):
            new = _number(old * factor)
            if float(new) != old:
                text = expr[:match.start(3)] + new + expr[match.end(3):]
                yield Mutant(alert, rule, f"threshold {match.group(3)} × {factor:g}", text, for_)
    for_ms = duration_ms(for_)
    if for_ms:
        yield Mutant(alert, rule, "for halved", expr, format_duration(for_ms // 2))
        yield Mutant(alert, rule, "for doubled", expr, format_duration(for_ms * 2))
    for match in RANGE.finditer(expr):
        half = format_duration(duration_ms(match.group(1)) // 2)
        yield Mutant(alert, rule, f"range [{match.group(1)}] halved", expr[:match.start(1)] + half + expr[match.end(1):],
                     for_)


def _rules(path: Path) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = yaml.load(path.read_text(), Loader=_LOADER)["groups"]
    return groups


def all_mutants(prometheus: Path, alerts_file: str) -> list[Mutant]:
    out: list[Mutant] = []
    for group in _rules(prometheus / alerts_file):
        seen: dict[str, int] = {}
        for rule in group["rules"]:
            index = seen[rule["alert"]] = seen.get(rule["alert"], -1) + 1
            out += mutants_of(rule["alert"], index, rule["expr"], rule.get("for", "0s"))
    return out


def _reduced(parsed: dict[str, list[dict[str, Any]]], alerts_file: str, mutant: Mutant | None,
             alert: str) -> dict[str, list[dict[str, Any]]]:
    """Each rule file (parsed: by name), keeping only the alert (mutated) and the recorded series it reads,
    transitively."""
    files = copy.deepcopy(parsed)
    needed: set[str] = set()
    wanted = []
    for group in files[alerts_file]:
        seen = -1
        kept = []
        for rule in group["rules"]:
            if rule["alert"] != alert:
                continue
            seen += 1
            if mutant and seen == mutant.rule:
                rule = {**rule, "expr": mutant.expr, "for": mutant.for_}
            kept.append(rule)
            wanted.append(rule["expr"])
        group["rules"] = kept
    records = {rule["record"]: rule["expr"] for groups in files.values() for g in groups for rule in g["rules"]
               if "record" in rule}
    while wanted:
        for name in RECORD_NAME.findall(wanted.pop()):
            if name in records and name not in needed:
                needed.add(name)
                wanted.append(records[name])
    for name, groups in files.items():
        if name != alerts_file:
            for group in groups:
                group["rules"] = [r for r in group["rules"] if r.get("record") in needed]
    return files


def test_files(prometheus: Path, alert: str) -> list[str]:
    """The names of an alert's test files: `<alert>.test.yaml`, and `<alert>.<part>.test.yaml` (an SLO alert's
    window cases, at their own evaluation_interval)."""
    tests = prometheus / "tests"
    return sorted({f"{alert}.test.yaml", *(p.name for p in tests.glob(f"{alert}.*.test.yaml"))})


def single_tests(prometheus: Path, alert: str) -> list[tuple[str, str]]:
    """An alert's tests, one a file: each file's name and text (the settings of the file it came from). Tests in
    which the alert fires come first: half the mutants weaken an alert, and the round that runs the others'
    first test kills them (in their file's order: 185 tests where 231 run in the JAM's)."""
    out = []
    for name in test_files(prometheus, alert):
        document = yaml.load((prometheus / "tests" / name).read_text(), Loader=_LOADER)
        for i, test in enumerate(document["tests"]):
            text = yaml.dump({**document, "tests": [test]}, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
            fires = any(case.get("exp_alerts") for case in test.get("alert_rule_test") or [])
            out.append((not fires, f"{name.removesuffix('.test.yaml')}.{i}.test.yaml", text))
    return [(file, text) for _, file, text in sorted(out, key=lambda found: found[0])]


def killed(prometheus: Path, alerts_file: str, mutants: list[Mutant], work: Path, promtool: str) -> dict[Mutant, bool]:
    """Which mutants make one of their alert's tests fail; raises if a test fails on the unmutated rules."""
    tests = {alert: single_tests(prometheus, alert) for alert in sorted({m.alert for m in mutants})}
    cases: list[tuple[Mutant | None, str, Path]] = [(None, alert, work / f"{alert}-original") for alert in tests]
    cases += [(m, m.alert, work / f"{m.alert}-{i}") for i, m in enumerate(mutants)]
    parsed = {path.name: _rules(path) for path in sorted(prometheus.glob("*.rules.yaml"))}
    for mutant, alert, folder in cases:
        (folder / "tests").mkdir(parents=True)
        for name, groups in _reduced(parsed, alerts_file, mutant, alert).items():
            (folder / name).write_text(yaml.dump({"groups": groups}, Dumper=_DUMPER, sort_keys=False))
        for name, text in tests[alert]:
            (folder / "tests" / name).write_text(text)
    dead: set[int] = set()
    for k in range(max(len(found) for found in tests.values())):
        paths = {i: str(folder / "tests" / tests[alert][k][0]) for i, (_, alert, folder) in enumerate(cases)
                 if k < len(tests[alert]) and i not in dead}
        output = _run(promtool, list(paths.values()))
        passed = _passed(output)
        for i, path in paths.items():
            if not passed.get(path, False):
                if cases[i][0] is None:
                    raise AssertionError(f"{path} fails on the unmutated rules of {cases[i][1]}:\n{output[-3000:]}")
                dead.add(i)
    return {m: i in dead for i, (m, _, _) in enumerate(cases) if m is not None}


def _run(promtool: str, paths: list[str]) -> str:
    """promtool test rules on the files, in BATCHES runs side by side; their output."""
    batches = [paths[i::BATCHES] for i in range(BATCHES)]
    runs = [subprocess.Popen([promtool, "test", "rules", *batch], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True) for batch in batches if batch]
    return "".join(run.communicate(timeout=900)[0] for run in runs)


def _passed(output: str) -> dict[str, bool]:
    """promtool's verdict per test file: 'Unit Testing:  path' then SUCCESS or FAILED."""
    verdicts: dict[str, bool] = {}
    current = None
    for line in output.splitlines():
        if line.startswith("Unit Testing:"):
            current = line.split(":", 1)[1].strip()
        elif current and line.strip() in ("SUCCESS", "FAILED:"):
            verdicts[current] = line.strip() == "SUCCESS"
            current = None
    return verdicts
