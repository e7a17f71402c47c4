"""Spec's validator: pydantic-core's, built from the spec types' declared fields (strict, unknown fields refused)."""

from __future__ import annotations

import datetime
import types
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic_core import CoreConfig, SchemaValidator, core_schema

from jamdash.spec import Spec
from jamdash.spec.common import Declared
from jamdash.spec.fields import annotated, fields_of, is_spec_type

CONFIG = CoreConfig(strict=True, extra_fields_behavior="forbid")


def _scalar(tp: Any, constraints: dict[str, Any]) -> core_schema.CoreSchema:
    if tp is str:
        return core_schema.str_schema(**constraints)
    if tp is bool:
        return core_schema.bool_schema()
    if tp is int:
        return core_schema.int_schema(**constraints)
    if tp is float:
        return core_schema.float_schema(**constraints)
    if tp is datetime.date:
        return core_schema.date_schema()
    raise TypeError(f"spec types cannot use {tp!r}")


def schema_of(tp: Any, declared: Declared = Declared()) -> core_schema.CoreSchema:
    """The core schema of a spec type annotation; declared's constraints apply to the first type that is not
    None (a list's or a mapping's length, a text's pattern, a number's bounds), as pydantic applies them."""
    origin = get_origin(tp)
    if origin is Annotated:
        inner, own, befores = annotated(tp)
        schema = schema_of(inner, own.under(declared))
        for before in befores:
            schema = core_schema.no_info_before_validator_function(before.function, schema)
        return schema
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) == 1:
            schema = schema_of(rest[0], declared)
        else:
            choices: list[core_schema.CoreSchema | tuple[core_schema.CoreSchema, str]] = [
                schema_of(arg, declared) for arg in rest]
            schema = core_schema.union_schema(choices)
        return core_schema.nullable_schema(schema) if type(None) in args else schema
    constraints = declared.constraints()
    if origin is Literal:
        return core_schema.literal_schema(list(get_args(tp)))
    if origin is list:
        return core_schema.list_schema(schema_of(get_args(tp)[0]), **constraints)
    if origin is dict:
        keys, values = get_args(tp)
        return core_schema.dict_schema(schema_of(keys), schema_of(values), **constraints)
    if is_spec_type(tp):
        return _record(tp)
    return _scalar(tp, constraints)


def _record(cls: type) -> core_schema.CoreSchema:
    fields = []
    for field in fields_of(cls).values():
        schema = schema_of(field.type, field.declared)
        if field.default_factory is not None:
            schema = core_schema.with_default_schema(schema, default_factory=field.default_factory)
        elif not field.is_required():
            schema = core_schema.with_default_schema(schema, default=field.default)
        fields.append(core_schema.dataclass_field(
            field.name, schema, kw_only=True,
            validation_alias=field.yaml_name if field.yaml_name != field.name else None))
    args = core_schema.dataclass_args_schema(cls.__name__, fields, extra_behavior="forbid")
    # strict=False for the record itself only: strict, it would take instances and refuse the YAML's mapping
    return core_schema.dataclass_schema(cls, args, [f["name"] for f in fields], cls_name=cls.__name__, frozen=True,
                                        strict=False, config=CONFIG)


@cache
def spec_validator() -> SchemaValidator:
    """The validator of a whole spec (~5 ms to build from the types, once per run)."""
    return SchemaValidator(schema_of(Spec), CONFIG)


def validate(data: Any) -> Spec:
    """data (read YAML) as a Spec; raises pydantic_core.ValidationError listing every problem."""
    spec: Spec = spec_validator().validate_python(data)
    return spec
