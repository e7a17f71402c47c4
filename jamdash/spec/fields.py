"""The declared fields of a spec type: name in the YAML, type, constraints, description and default."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from jamdash.spec.common import Before, Declared, SpecModel


@dataclasses.dataclass(frozen=True)
class SpecField:
    """One field of a spec type, as its class declares it."""

    name: str  # the Python attribute
    yaml_name: str  # the key in the YAML (`for` for for_)
    type: Any
    declared: Declared
    default: Any = dataclasses.MISSING
    default_factory: Callable[[], Any] | None = None

    @property
    def description(self) -> str | None:
        return self.declared.description

    def is_required(self) -> bool:
        return self.default is dataclasses.MISSING and self.default_factory is None


def is_spec_type(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, SpecModel)


@cache
def fields_of(cls: type) -> dict[str, SpecField]:
    """cls's fields by their YAML name, in declaration order."""
    out: dict[str, SpecField] = {}
    for f in dataclasses.fields(cls):
        if isinstance(f.type, str):
            raise TypeError(f"{cls.__qualname__}.{f.name}: spec types need evaluated annotations")
        declared: Declared = f.metadata.get("spec", Declared())
        factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
        yaml_name = declared.yaml_name or f.name
        out[yaml_name] = SpecField(f.name, yaml_name, f.type, declared, f.default, factory)
    return out


def unwrap(tp: Any) -> Any:
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


def annotated(tp: Any) -> tuple[Any, Declared, tuple[Before, ...]]:
    """Annotated[T, ...] as T, its Declared (or an empty one) and its Before functions, in order."""
    inner, *extras = get_args(tp)
    own = next((e for e in extras if isinstance(e, Declared)), Declared())
    return inner, own, tuple(e for e in extras if isinstance(e, Before))
