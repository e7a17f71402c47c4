"""Shape check: the read YAML data against the Spec types, every problem as a positioned finding."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic_core import ValidationError

from jamdash import codes
from jamdash.findings import Finding
from jamdash.load.source import Path, SourceMap
from jamdash.spec import Spec
from jamdash.spec.fields import fields_of
from jamdash.spec.messages import describe
from jamdash.spec.validator import validate as validate_spec
from jamdash.spec.walk import entry_sections, field_at, fields_at


_MAX_SALVAGE_ROUNDS = 4
# pydantic-core's error types for a field the type does not declare (a record's validator says the second)
_UNKNOWN = frozenset({"extra_forbidden", "unexpected_keyword_argument"})


def data_path(loc: tuple[Any, ...], data: Any) -> Path:
    """Drop pydantic's union/validator tags from an error location, keeping the data path.

    Every part that is in the data is kept; of the rest, only a declared field name (a missing field)
    is kept, so tags such as 'list[str]' or 'function-before[...]' are skipped.
    """
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in (fields_at(tuple(out)) or ()):
            out.append(part)  # a missing field: keep it for the message
            break
    return tuple(out)


def _meant(path: Path) -> str | None:
    """The field an unknown field's name is a misspelling of, if any."""
    close = difflib.get_close_matches(str(path[-1]), fields_at(path[:-1]) or [], n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_field(path: Path) -> str:
    name = str(path[-1])
    allowed = fields_at(path[:-1]) or []
    close = [meant] if (meant := _meant(path)) else []
    hint = f"did you mean '{close[0]}'? " if close else ""
    listing = ", ".join(allowed) if allowed else "none"
    return f"unknown field '{name}': {hint}allowed here: {listing} (see docs/spec.md)"


def _missing_field(path: Path) -> str:
    name = str(path[-1])
    where = ".".join(str(p) for p in path[:-1])
    field = field_at(path)
    about = f" ({field.description.rstrip('.')})" if field is not None and field.description else ""
    return f"missing required field '{name}'{about}" + (f" in {where}" if where else "")


def _finding(error: Any, data: Any, source: SourceMap) -> tuple[Path, Finding]:
    path = data_path(tuple(error["loc"]), data)
    kind = error["type"]
    if kind in _UNKNOWN:
        return path, Finding.at(source.path, source.key(path), codes.UNKNOWN_FIELD, _unknown_field(path))
    if kind == "missing":
        return path, Finding.at(source.path, source.key(path[:-1]), codes.MISSING_FIELD, _missing_field(path))
    rule, message = describe(error, field_at(path))
    where = ".".join(str(p) for p in path) or "the spec"
    return path, Finding.at(source.path, source.value(path), rule, f"{where}: {message}")


def _findings(exc: ValidationError, data: Any, source: SourceMap) -> list[Finding]:
    out: dict[tuple[Path, str], Finding] = {}
    for error in exc.errors(include_url=False):
        path, finding = _finding(error, data, source)
        out.setdefault((path, finding.rule), finding)  # a union reports one problem several times
    # A union (`errors: NAME | {metric, match}`) also says the other form's "expected text, got a
    # mapping": when problems inside the value show which form was meant, only they are the mistake.
    deeper = {path[:n] for path, _ in out for n in range(len(path))}
    return [f for (path, rule), f in out.items() if not (rule == codes.WRONG_TYPE and path in deeper)]


def _without(data: Any, path: Path) -> Any:
    """A copy of data with the entry at path removed (copied along the path only)."""
    if not path:
        return data
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and head in data:
        copy = dict(data)
        if rest:
            copy[head] = _without(data[head], rest)
        else:
            del copy[head]
        return copy
    if isinstance(data, list) and isinstance(head, int) and 0 <= head < len(data) and rest:
        return [*data[:head], _without(data[head], rest), *data[head + 1:]]
    return data


def _removals(data: dict[str, Any], exc: ValidationError) -> tuple[set[Path], set[Path]] | None:
    """(unknown fields, dropped entries) that make data valid, or None when a required part is broken."""
    sections = entry_sections()
    unknown: set[Path] = set()
    dropped: set[Path] = set()
    for error in exc.errors(include_url=False):
        path = data_path(tuple(error["loc"]), data)
        top = path[0] if path else None
        if error["type"] in _UNKNOWN:
            if top in sections and len(path) > 2 and _meant(path):
                dropped.add(path[:2])  # a misspelt field (`lables:`) breaks its entry: left out, no follow-ups
            else:
                unknown.add(path)  # removing an unknown field changes nothing that lint looks at
            continue
        field = fields_of(Spec).get(top) if isinstance(top, str) else None
        if field is None:
            return None
        if top in sections and len(path) > 1:
            dropped.add(path[:2])
        elif not field.is_required():
            dropped.add(path[:1])
        else:
            return None
    return unknown, dropped


def _salvage(data: dict[str, Any], exc: ValidationError) -> tuple[Spec | None, frozenset[Path]]:
    """The Spec without the entries (or optional fields) that failed, so lint can check the rest."""
    dropped: set[Path] = set()
    for _ in range(_MAX_SALVAGE_ROUNDS):
        removals = _removals(data, exc)
        if removals is None:
            return None, frozenset(dropped)
        unknown, entries = removals
        for path in sorted(unknown | entries, key=len, reverse=True):
            data = _without(data, path)
        dropped |= entries
        try:
            return validate_spec(data), frozenset(dropped)
        except ValidationError as again:
            exc = again
    return None, frozenset(dropped)


def validate(data: Any, source: SourceMap) -> tuple[Spec | None, list[Finding], frozenset[Path]]:
    """Check data's shape against Spec.

    Returns the Spec (possibly salvaged: see _salvage), every shape finding, and the dropped paths.
    """
    if not isinstance(data, dict):
        return None, [Finding.at(source.path, source.value(()), codes.WRONG_TYPE,
                                 "the spec must be a mapping of sections (version, max_series, labels, "
                                 "metrics, ...); see docs/spec.md")], frozenset()
    try:
        return validate_spec(data), [], frozenset()
    except ValidationError as exc:
        findings = _findings(exc, data, source)
        spec, dropped = _salvage(data, exc)
        return spec, findings, dropped
