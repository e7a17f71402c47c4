"""Walk the Spec types along a data path: which fields are allowed where, and what each one is."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from jamdash.load.source import Path
from jamdash.spec import Spec


def _unwrap(tp: Any) -> Any:
    """Annotated[X, ...] -> X and X | None -> X, repeatedly."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            rest = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(rest) != 1:
                return tp
            tp = rest[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _step(tp: Any, part: str | int) -> tuple[Any, FieldInfo | None] | None:
    tp = _unwrap(tp)
    if _is_model(tp):
        field = tp.model_fields.get(part) if isinstance(part, str) else None
        return None if field is None else (field.annotation, field)
    origin = get_origin(tp)
    if origin is dict and isinstance(part, str):
        return get_args(tp)[1], None
    if origin in (list, tuple) and isinstance(part, int):
        return get_args(tp)[0], None
    return None


def _walk(path: Path) -> tuple[Any, FieldInfo | None] | None:
    tp: Any = Spec
    field: FieldInfo | None = None
    for part in path:
        step = _step(tp, part)
        if step is None:
            return None
        tp, field = step
    return tp, field


def fields_at(path: Path) -> list[str] | None:
    """The field names allowed in the mapping at path, or None when it is not a spec type."""
    found = _walk(path)
    if found is None or not _is_model(_unwrap(found[0])):
        return None
    return list(_unwrap(found[0]).model_fields)


def field_at(path: Path) -> FieldInfo | None:
    """The declaration of the field at path (None for list items, mapping entries or unknown paths)."""
    found = _walk(path)
    return None if found is None else found[1]


def entry_sections() -> frozenset[str]:
    """Top-level sections that map names to entries (labels, metrics, ...): checked entry by entry."""
    return frozenset(
        name for name, field in Spec.model_fields.items()
        if get_origin(_unwrap(field.annotation)) is dict and _is_model(_unwrap(get_args(_unwrap(field.annotation))[1]))
    )
