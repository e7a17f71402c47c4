"""A finding: one problem with a stable rule id and a position in a file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"  # reported, never a failure (e.g. an alert that is firing)


class Position(NamedTuple):
    """A 1-based line and column in a source file."""

    line: int
    column: int


NOWHERE = Position(1, 1)


class Finding(NamedTuple):
    """One problem: where it is, which rule found it, and what to do."""

    path: str
    line: int
    column: int
    severity: str
    rule: str
    message: str

    @classmethod
    def at(cls, path: str, pos: Position, rule: str, message: str, severity: str = ERROR) -> Finding:
        return cls(path, pos.line, pos.column, severity, rule, message)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def display_path(path: str) -> str:
    """The path relative to the current directory when it lies below it (./x shows as x)."""
    if not path or not os.path.isabs(path):
        return os.path.normpath(path) if path else path
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def sort_key(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.path, f.line, f.column, f.rule, f.message)


def format_text(findings: Iterable[Finding]) -> str:
    return "".join(
        f"{display_path(f.path)}:{f.line}:{f.column}: {f.severity}: [{f.rule}] {f.message}\n"
        for f in sorted(findings, key=sort_key)
    )


def format_json(findings: Iterable[Finding]) -> str:
    rows = [{**f._asdict(), "path": display_path(f.path)} for f in sorted(findings, key=sort_key)]
    return json.dumps(rows, indent=2) + "\n"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands: annotations with file and line."""
    level = {ERROR: "error", WARNING: "warning", INFO: "notice"}
    return "".join(
        f"::{level.get(f.severity, 'notice')} file={display_path(f.path)},line={f.line},col={f.column},"
        f"title={f.rule}::{_github_escape(f.message)}\n"
        for f in sorted(findings, key=sort_key)
    )


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
