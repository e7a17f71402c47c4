"""Run `promtool check rules` and `promtool test rules` on the generated files; output becomes findings.

A run that passed is remembered by a digest of its input (the files' names and bytes, and the
promtool binary) in the user's cache folder, as pre-commit and mypy do: the same input is not run
again. JAMDASH_NO_CACHE=1 (`jamdash lint --no-cache`, CI's `make check`) runs everything.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jamdash import cache, codes
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


CACHE_NAME = "promtool"
STALE_S = 30 * 24 * 3600  # a remembered pass unused this long is forgotten
_SECTION = re.compile(r"^Unit Testing:\s+(?P<name>\S.*?)\s*$")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """promtool with stderr merged into stdout, so per-file failures stay under their file's heading."""
    return subprocess.run([promtool(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600, env={**os.environ, "NO_COLOR": "1"})


def input_key(command: str, files: Iterable[Path]) -> str:
    """A digest of one promtool run's input: the command, the binary (path, size, mtime) and each
    file's name and bytes."""
    digest = hashlib.sha256(command.encode() + b"\0")
    binary = os.path.realpath(promtool())
    stat = os.stat(binary)
    digest.update(f"{binary}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def passed_before(key: str) -> bool:
    """True when a run with this input passed before (and caching is on); refreshes the entry."""
    folder = cache.folder(CACHE_NAME)
    if folder is None:
        return False
    try:
        os.utime(os.path.join(folder, key))
    except OSError:
        return False
    return True


def remember(keys: Sequence[str]) -> None:
    """Records passing runs, and forgets entries unused for STALE_S; a cache that cannot be
    written only costs the next run its time."""
    folder = cache.folder(CACHE_NAME)
    if folder is None or not keys:
        return
    try:
        for key in keys:
            with open(os.path.join(folder, key), "a", encoding="utf-8"):
                pass
        cutoff = time.time() - STALE_S
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
    except OSError:
        pass


def check_rule_files(model: Model, out: Path) -> list[Finding]:
    files = sorted(out.glob(RULES_GLOB))
    if not files:
        return []
    folder = files[0].parent
    key = input_key("check rules", files)
    if passed_before(key):
        return []
    result = _run(["check", "rules", *(f.name for f in files)], folder)
    if result.returncode == 0:
        remember([key])
        return []
    return parse_check_output(result.stdout, folder) or [
        Finding.at(str(folder), NOWHERE, codes.PROMTOOL_CHECK_RULES, _squash(result.stdout))]


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
    """`promtool test rules` on every test file whose input changed since it last passed: the files
    in one call per CPU (each call pays promtool's start-up once), balanced by size."""
    files = sorted(out.glob(TESTS_GLOB))
    if not files:
        return []
    rules = sorted(out.glob(RULES_GLOB))
    keys = {path: input_key("test rules", [*rules, path]) for path in files}
    pending = [path for path in files if not passed_before(keys[path])]
    batches = _balanced(pending, os.cpu_count() or 1)
    with ThreadPoolExecutor(max(1, len(batches))) as pool:
        outcomes = [outcome for batch in pool.map(_test_batch, batches) for outcome in batch]
    remember([keys[path] for path, findings in outcomes if not findings])
    return [finding for _, findings in outcomes for finding in findings]


def _balanced(files: list[Path], parts: int) -> list[list[Path]]:
    """files in at most `parts` batches of about equal size in bytes (largest first, each to the
    lightest batch): promtool's time grows with a file's cases."""
    batches: list[list[Path]] = [[] for _ in range(min(parts, len(files)))]
    weights = [0] * len(batches)
    for path in sorted(files, key=lambda p: (-p.stat().st_size, p.name)):
        lightest = weights.index(min(weights))
        batches[lightest].append(path)
        weights[lightest] += path.stat().st_size
    return [sorted(batch) for batch in batches]


def _test_batch(files: list[Path]) -> list[tuple[Path, list[Finding]]]:
    """One `promtool test rules` call on files of one folder; the findings of each file."""
    result = _run(["test", "rules", *(f.name for f in files)], files[0].parent)
    sections = split_test_output(result.stdout)
    outcomes: list[tuple[Path, list[Finding]]] = []
    for path in files:
        text = sections.get(path.name)
        if text is not None and "SUCCESS" in text.split() and "FAILED:" not in text:
            outcomes.append((path, []))
            continue
        text = text if text is not None and text.strip() else result.stdout
        outcomes.append((path, parse_test_output(text, path) or [
            Finding.at(str(path), NOWHERE, codes.PROMTOOL_TEST_RULES, _squash(text))]))
    return outcomes


def split_test_output(text: str) -> dict[str, str]:
    """`promtool test rules` output of several files, by file name: each file's text runs from its
    'Unit Testing:' heading to the next."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = _SECTION.match(line)
        if heading:
            current = sections.setdefault(heading["name"], [])
        if current is not None:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


_FAILED_TEST = "test '{name}' failed: "
_FAILED_TEST_NAME = re.compile("^" + re.escape(_FAILED_TEST).replace(re.escape("{name}"), "(?P<name>.*?)"))


def failed_test(finding: Finding) -> str | None:
    """The name of the promtool test a parse_test_output finding is about, if it is one."""
    match = _FAILED_TEST_NAME.match(finding.message) if finding.rule == codes.PROMTOOL_TEST_RULES else None
    return match["name"] if match else None


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
                                   f"{_FAILED_TEST.format(name=match['name'])}{_squash(' '.join(block[:end]))}"))
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
