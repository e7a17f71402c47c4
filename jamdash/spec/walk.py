"""Walk the Spec types along a data path: which fields are allowed where, and what each one is."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from jamdash.load.source import Path
from jamdash.spec import Spec
from jamdash.spec.fields import SpecField, fields_of, is_spec_type, unwrap


def _step(tp: Any, part: str | int) -> tuple[Any, SpecField | None] | None:
    tp = unwrap(tp)
    if is_spec_type(tp):
        field = fields_of(tp).get(part) if isinstance(part, str) else None
        return None if field is None else (field.type, field)
    origin = get_origin(tp)
    if origin is dict and isinstance(part, str):
        return get_args(tp)[1], None
    if origin in (list, tuple) and isinstance(part, int):
        return get_args(tp)[0], None
    return None


def _walk(path: Path) -> tuple[Any, SpecField | None] | None:
    tp: Any = Spec
    field: SpecField | None = None
    for part in path:
        step = _step(tp, part)
        if step is None:
            return None
        tp, field = step
    return tp, field


def fields_at(path: Path) -> list[str] | None:
    """The field names allowed in the mapping at path, or None when it is not a spec type."""
    found = _walk(path)
    if found is None or not is_spec_type(unwrap(found[0])):
        return None
    return list(fields_of(unwrap(found[0])))


def field_at(path: Path) -> SpecField | None:
    """The declaration of the field at path (None for list items, mapping entries or unknown paths)."""
    found = _walk(path)
    return None if found is None else found[1]


def entry_sections() -> frozenset[str]:
    """Top-level sections that map names to entries (labels, metrics, ...): checked entry by entry."""
    return frozenset(
        name for name, field in fields_of(Spec).items()
        if get_origin(unwrap(field.type)) is dict and is_spec_type(unwrap(get_args(unwrap(field.type))[1]))
    )
