"""Run `promtool check rules` and `promtool test rules` on the generated files; output becomes findings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jamdash import codes
from jamdash.findings import NOWHERE, Finding, Position
from jamdash.model import Model

RULES_GLOB = "prometheus/*.rules.yaml"
TESTS_GLOB = "prometheus/tests/*.test.yaml"
INSTALL_HINT = ("promtool is not installed. Install it with Debian's prometheus package "
                "(sudo apt-get install prometheus), or set JAMDASH_PROMTOOL to its path.")
_LOCATED = re.compile(r"^(?P<file>[^\s:]+): (?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")
_FILE_ONLY = re.compile(r"^(?P<file>[^\s:]+): (?P<message>.*)$")
_TEST_NAME = re.compile(r"^\s+name: (?P<name>.*),\s*$")


class ToolMissing(Exception):
    """promtool is not on PATH (exit code 2 with INSTALL_HINT)."""


def promtool() -> str:
    path = os.environ.get("JAMDASH_PROMTOOL") or shutil.which("promtool")
    if not path or not os.access(path, os.X_OK):
        raise ToolMissing(INSTALL_HINT)
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})


def check_rule_files(model: Model, out: Path) -> list[Finding]:
    files = sorted(out.glob(RULES_GLOB))
    if not files:
        return []
    folder = files[0].parent
    result = _run(["check", "rules", *(f.name for f in files)], folder)
    if result.returncode == 0:
        return []
    return parse_check_output(result.stdout + result.stderr, folder) or [
        Finding.at(str(folder), NOWHERE, codes.PROMTOOL_CHECK_RULES, _squash(result.stderr or result.stdout))]


def parse_check_output(text: str, folder: Path) -> list[Finding]:
    """Findings from `promtool check rules` output: 'file: line:col: message' or 'file: message'."""
    findings = []
    for line in text.splitlines():
        located = _LOCATED.match(line.strip())
        plain = _FILE_ONLY.match(line.strip())
        if located:
            pos = Position(int(located["line"]), int(located["col"]))
            findings.append(Finding.at(str(folder / located["file"]), pos, codes.PROMTOOL_CHECK_RULES, located["message"]))
        elif plain and plain["file"].endswith((".yaml", ".yml")):
            findings.append(Finding.at(str(folder / plain["file"]), NOWHERE, codes.PROMTOOL_CHECK_RULES, plain["message"]))
    return findings


def test_rule_files(model: Model, out: Path) -> list[Finding]:
    files = sorted(out.glob(TESTS_GLOB))
    workers = max(1, min(len(files), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda f: (f, _run(["test", "rules", f.name], f.parent)), files))
    findings: list[Finding] = []
    for path, result in results:
        if result.returncode != 0:
            findings += parse_test_output(result.stdout + "\n" + result.stderr, path) or [
                Finding.at(str(path), NOWHERE, codes.PROMTOOL_TEST_RULES, _squash(result.stderr or result.stdout))]
    return findings


def parse_test_output(text: str, path: Path) -> list[Finding]:
    """One finding per failed test, at the line of its `name:` in the test file."""
    lines = text.splitlines()
    source = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    findings = []
    for i, line in enumerate(lines):
        match = _TEST_NAME.match(line)
        if not match:
            continue
        block = [lines[j].strip() for j in range(i + 1, len(lines))
                 if j == i + 1 or not (_TEST_NAME.match(lines[j]) or lines[j].strip() == "FAILED:")]
        end = next((k for k, text_line in enumerate(block) if text_line in ("FAILED:",) or
                    text_line.startswith("Unit Testing:")), len(block))
        findings.append(Finding.at(str(path), _line_of(source, match["name"]), codes.PROMTOOL_TEST_RULES,
                                   f"test '{match['name']}' failed: {_squash(' '.join(block[:end]))}"))
    if not findings and lines and any("FAILED" in line for line in lines):
        errors = [line.strip() for line in lines if line.strip() and not line.startswith("Unit Testing")]
        findings.append(Finding.at(str(path), NOWHERE, codes.PROMTOOL_TEST_RULES, _squash(" ".join(errors))))
    return findings


def _line_of(source: list[str], name: str) -> Position:
    for number, text in enumerate(source, 1):
        if text.strip().lstrip("- ").startswith("name:") and name in text:
            return Position(number, text.index("name:") + 1)
    return NOWHERE


def _squash(text: str, limit: int = 800) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit] + " ..."
