"""load: read the spec YAML keeping positions, then check its shape (shape errors only)."""

from __future__ import annotations

from jamdash import codes
from jamdash.findings import NOWHERE, Finding, Position
from jamdash.load.source import Document
from jamdash.spec import Spec
from jamdash.spec.shape import validate
from jamdash.load.yaml_nodes import MAX_DEPTH, MAX_NODES, read_document

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "load", "read_document", "read_text"]

MAX_BYTES = 4 * 1024 * 1024


def read_text(path: str) -> tuple[str | None, list[Finding]]:
    """The spec file as text: at most MAX_BYTES of UTF-8 without NUL bytes."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Finding.at(path, NOWHERE, codes.SPEC_UNREADABLE, f"cannot read the spec: {exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        return None, [Finding.at(path, NOWHERE, codes.SPEC_TOO_LARGE,
                                 f"the spec is larger than {MAX_BYTES} bytes; is this the right file?")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Finding.at(path, _offset_position(raw, exc.start), codes.SPEC_ENCODING,
                                 "the spec is not UTF-8 text (a binary file?)")]
    if "\x00" in text:
        return None, [Finding.at(path, _offset_position(raw, raw.index(b"\x00")), codes.SPEC_ENCODING,
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
    unreadable = {(f.line, f.column) for f in findings if f.rule == codes.YAML_VALUE}
    shape_findings = [f for f in shape_findings if (f.line, f.column) not in unreadable]  # said once is enough
    return doc, spec, findings + shape_findings


def _offset_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return Position(line, offset - (before.rfind(b"\n") + 1) + 1)
