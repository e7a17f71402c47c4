"""load: read the spec YAML keeping positions, then check its shape (shape errors only)."""

from __future__ import annotations

from typing import Any

import yaml

from jamdash.findings import NOWHERE, Finding, Position
from jamdash.source import Document, Path, SourceMap
from jamdash.spec import Spec
from jamdash.spec.shape import validate

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 48
MAX_NODES = 500_000

# Rule ids this module reports; the shape checks in jamdash/spec/shape.py report their own.
RULE_IDS = ("spec-unreadable", "spec-encoding", "spec-too-large", "spec-empty", "yaml-syntax",
            "yaml-value", "yaml-key", "duplicate-key")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_KEY_TYPES = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
              "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:null": "null",
              "tag:yaml.org,2002:timestamp": "a date"}


class _TooBig(Exception):
    def __init__(self, pos: Position, message: str) -> None:
        super().__init__(message)
        self.pos = pos


def _position(node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


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
            raise _TooBig(pos, f"the spec expands to more than {MAX_NODES} YAML nodes (each use of an alias "
                               "counts again); remove the anchors that multiply each other")
        if len(path) > MAX_DEPTH:
            raise _TooBig(pos, f"the spec nests deeper than {MAX_DEPTH} levels (a recursive alias?)")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            self.fail(pos, "yaml-value", f"cannot read this value ({problem}); quote it if you mean text")
            return None

    def _key(self, node: yaml.Node) -> str | None:
        pos = _position(node)
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:merge":
            self.fail(pos, "yaml-key", "mapping keys must be plain strings (no complex keys, lists, "
                                       "mappings or '<<' merges); write the key as text")
            return None
        if node.tag != _STR_TAG:
            kind = _KEY_TYPES.get(node.tag, f"of type {node.tag}")
            self.fail(pos, "yaml-key", f"key {node.value!r} is read by YAML as {kind}, not text; "
                                       f"quote it: '{node.value}'")
            return None
        key: str = node.value
        return key

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in out:
                first = self.source.keys[(*path, key)]
                self.fail(_position(key_node), "duplicate-key",
                          f"duplicate key '{key}' (first defined at line {first.line}); YAML would silently "
                          "keep the last one: remove or merge one of them")
                continue
            self.source.keys[(*path, key)] = _position(key_node)
            out[key] = self.read(value_node, (*path, key))
        return out


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    if "tab" in problem:
        return f"{problem}: indent with spaces, not tabs"
    if exc.context and exc.problem:
        return f"{problem} ({exc.context})"
    return problem


def read_document(path: str, text: str) -> tuple[Document | None, list[Finding]]:
    """Parse YAML text into a Document; syntax problems become findings."""
    reader = _Reader(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else NOWHERE
        return None, [Finding.at(path, pos, "yaml-syntax", _syntax_message(exc))]
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError) as exc:
        return None, [Finding.at(path, NOWHERE, "yaml-syntax", f"cannot parse YAML: {exc}")]
    if node is None:
        return None, [Finding.at(path, NOWHERE, "spec-empty",
                                 "the spec is empty; start from the example in docs/spec.md")]
    try:
        data = reader.read(node, ())
    except _TooBig as exc:
        return None, [Finding.at(path, exc.pos, "spec-too-large", str(exc))]
    except RecursionError:
        return None, [Finding.at(path, NOWHERE, "spec-too-large", f"the spec nests deeper than {MAX_DEPTH} levels")]
    return Document(data, reader.source), reader.findings


def read_text(path: str) -> tuple[str | None, list[Finding]]:
    """The spec file as text: at most MAX_BYTES of UTF-8 without NUL bytes."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Finding.at(path, NOWHERE, "spec-unreadable", f"cannot read the spec: {exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        return None, [Finding.at(path, NOWHERE, "spec-too-large",
                                 f"the spec is larger than {MAX_BYTES} bytes; is this the right file?")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Finding.at(path, _offset_position(raw, exc.start), "spec-encoding",
                                 "the spec is not UTF-8 text (a binary file?)")]
    if "\x00" in text:
        return None, [Finding.at(path, _offset_position(raw, raw.index(b"\x00")), "spec-encoding",
                                 "the spec contains NUL bytes (a binary file?)")]
    return text, []


def load(path: str) -> tuple[Document | None, Spec | None, list[Finding]]:
    """Read and shape-check a spec file. Never raises for bad input.

    All problems are returned together. The Spec is returned whenever its shape could be salvaged,
    even with findings: entries that failed the shape check are then left out and listed in
    Document.dropped, so that lint can still check the rest.
    """
    text, findings = read_text(path)
    if text is None:
        return None, None, findings
    doc, findings = read_document(path, text)
    if doc is None:
        return None, None, findings
    spec, shape_findings, dropped = validate(doc.data, doc.source)
    doc.dropped = dropped
    return doc, spec, findings + shape_findings


def _offset_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return Position(line, offset - (before.rfind(b"\n") + 1) + 1)
