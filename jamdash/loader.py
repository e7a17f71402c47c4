"""load: read the spec YAML keeping positions, then check its shape (shape errors only)."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import ValidationError

from jamdash.findings import NOWHERE, Finding, Position
from jamdash.source import Document, Path, SourceMap
from jamdash.spec import Spec

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 48
MAX_NODES = 500_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Reader:
    """Turns a composed YAML node tree into plain data and a SourceMap."""

    def __init__(self, path: str) -> None:
        self.source = SourceMap(path)
        self.findings: list[Finding] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._nodes = 0

    def fail(self, pos: Position, rule: str, message: str) -> None:
        self.findings.append(Finding.at(self.source.path, pos, rule, message))

    def read(self, node: yaml.Node, path: Path) -> Any:
        pos = _position(node)
        self.source.values[path] = pos
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _TooBig(pos, f"the spec expands to more than {MAX_NODES} YAML nodes (anchors and aliases count each time)")
        if len(path) > MAX_DEPTH:
            raise _TooBig(pos, f"the spec nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.fail(pos, "yaml-value", f"cannot read this value: {getattr(exc, 'problem', exc)}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _position(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_pos, "yaml-key", "mapping keys must be plain strings (no complex keys or '<<' merges)")
                continue
            key = key_node.value
            if key in out:
                first = self.source.keys[(*path, key)]
                self.fail(key_pos, "duplicate-key",
                          f"duplicate key '{key}' (first defined at line {first.line}); YAML would silently keep the last one")
                continue
            self.source.keys[(*path, key)] = key_pos
            out[key] = self.read(value_node, (*path, key))
        return out


class _TooBig(Exception):
    def __init__(self, pos: Position, message: str) -> None:
        super().__init__(message)
        self.pos = pos


def _position(node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


def read_document(path: str, text: str) -> tuple[Document | None, list[Finding]]:
    """Parse YAML text into a Document; syntax problems become findings."""
    reader = _Reader(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else NOWHERE
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [Finding.at(path, pos, "yaml-syntax", f"{problem}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [Finding.at(path, NOWHERE, "yaml-syntax", f"cannot parse YAML: {exc}")]
    if node is None:
        return None, [Finding.at(path, NOWHERE, "spec-empty", "the spec is empty; start from the example in docs/spec.md")]
    try:
        data = reader.read(node, ())
    except _TooBig as exc:
        return None, [Finding.at(path, exc.pos, "spec-too-large", str(exc))]
    except RecursionError:
        return None, [Finding.at(path, NOWHERE, "spec-too-large", f"the spec nests deeper than {MAX_DEPTH} levels")]
    return Document(data, reader.source), reader.findings


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown-field", f"unknown field '{error['loc'][-1]}' (a typo?); see docs/spec.md for the allowed fields"
    if kind == "missing":
        return "missing-field", f"missing required field '{error['loc'][-1]}'"
    if kind in {"literal_error", "enum", "string_pattern_mismatch", "greater_than_equal", "greater_than",
                "string_too_short", "too_short", "value_error", "less_than_equal"}:
        return "invalid-value", error["msg"]
    return "wrong-type", error["msg"]


def _spec_path(loc: tuple[Any, ...], data: Any) -> Path:
    """Drop pydantic's union/validator tags from an error location, keeping the data path."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and not part.startswith(("function-", "union", "list[", "dict[")) and "[" not in part:
            out.append(part)  # a missing or unknown key: keep it for the message
            break
    return tuple(out)


def validate(doc: Document) -> tuple[Spec | None, list[Finding]]:
    """Check the document's shape against the spec types; positions come from the SourceMap."""
    if not isinstance(doc.data, dict):
        return None, [Finding.at(doc.source.path, doc.source.value(()), "wrong-type",
                                 "the spec must be a mapping with 'metrics', 'labels' and the other sections")]
    try:
        return Spec.model_validate(doc.data), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors(include_url=False):
            path = _spec_path(tuple(error["loc"]), doc.data)
            rule, message = _describe(error)
            if rule == "missing-field":
                pos = doc.source.value(path[:-1])
            elif rule == "unknown-field":
                pos = doc.source.key(path)
            else:
                pos = doc.source.value(path)
            where = ".".join(str(p) for p in path)
            if rule in {"wrong-type", "invalid-value"} and where:
                message = f"{where}: {message}"
            findings.append(Finding.at(doc.source.path, pos, rule, message))
        return None, _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def load(path: str) -> tuple[Document | None, Spec | None, list[Finding]]:
    """Read and shape-check a spec file. Never raises for bad input."""
    fs_path = FsPath(path)
    try:
        size = fs_path.stat().st_size
        if size > MAX_BYTES:
            return None, None, [Finding.at(path, NOWHERE, "spec-too-large",
                                           f"the spec is {size} bytes; the limit is {MAX_BYTES} bytes")]
        raw = fs_path.read_bytes()
    except OSError as exc:
        return None, None, [Finding.at(path, NOWHERE, "spec-unreadable", f"cannot read the spec: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, [Finding.at(path, _offset_position(raw, exc.start), "spec-encoding",
                                       "the spec is not UTF-8 text (a binary file?)")]
    if "\x00" in text:
        return None, None, [Finding.at(path, _offset_position(raw, text.index("\x00")), "spec-encoding",
                                       "the spec contains NUL bytes (a binary file?)")]
    doc, findings = read_document(path, text)
    if doc is None or findings:
        return doc, None, findings
    spec, findings = validate(doc)
    return doc, spec, findings


def _offset_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return Position(line, offset - (before.rfind(b"\n") + 1) + 1)
