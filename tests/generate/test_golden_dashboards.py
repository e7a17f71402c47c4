"""Golden dashboards cases: tests/golden/dashboards/<case>/ holds a README (intent), a spec, and either the
expected dashboards, provisioning and ConfigMaps (expected/) or the expected findings (findings.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from goldenkit import HOW_TO_UPDATE, UPDATE, cases

from jamdash.check import dashboards
from jamdash.findings import Finding, sort_key
from jamdash.generate import generate_all
from jamdash.pipeline import build

CASES = cases("dashboards")
OWN_OUTPUT = ("grafana/", "kubernetes/grafana-dashboard-")


def _findings_text(findings: list[Finding]) -> str:
    return "".join(f"metrics_spec.yaml:{f.line}:{f.column}: {f.severity}: [{f.rule}] {f.message}\n"
                   for f in sorted(findings, key=sort_key))


def _expected_files(case: Path) -> dict[str, str]:
    root = case / "expected"
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path) -> None:
    assert (case / "README.md").is_file(), f"{case.name}: every golden case says its intent in a README.md"
    result = build(str(case / "metrics_spec.yaml"))
    findings = list(result.findings)
    files: dict[str, str] = {}
    if result.model is not None:
        all_files = generate_all(result.model)
        findings += dashboards.check(result.model, all_files)
        files = {p: t for p, t in all_files.items() if p.startswith(OWN_OUTPUT)}
    if (case / "findings.txt").exists() or (UPDATE and findings):
        if UPDATE:
            (case / "findings.txt").write_text(_findings_text(findings), encoding="utf-8")
        assert _findings_text(findings) == (case / "findings.txt").read_text(encoding="utf-8"), \
            f"{case.name}: findings changed; {HOW_TO_UPDATE}"
        return
    assert not findings, _findings_text(findings)
    if UPDATE:
        for path, text in files.items():
            target = case / "expected" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = _expected_files(case)
    assert sorted(files) == sorted(expected), "generated and expected files differ in name"
    for path, text in files.items():
        assert text == expected[path], f"{case.name}/expected/{path} changed; {HOW_TO_UPDATE}"
