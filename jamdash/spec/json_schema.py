"""The spec's JSON Schema, for editors (yaml-language-server): from the same declared fields as the validator."""

from __future__ import annotations

import datetime
import inspect
import json
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from jamdash.spec import Spec
from jamdash.spec.common import Declared, SpecModel
from jamdash.spec.fields import SpecField, annotated, fields_of, is_spec_type, unwrap

_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
# Declared's constraints by JSON Schema keyword: for text, for numbers, for lists and for mappings
_KEYWORDS = {"string": {"min_length": "minLength", "pattern": "pattern"},
             "number": {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"},
             "array": {"min_length": "minItems"}, "object": {"min_length": "minProperties"}}
_KEYWORDS["integer"] = _KEYWORDS["number"]


class _Writer:
    """Writes one schema; each spec type it meets goes into $defs once, by class name."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp: Any, declared: Declared = Declared()) -> dict[str, Any]:
        origin = get_origin(tp)
        if origin is Annotated:
            inner, own, _ = annotated(tp)
            schema = self.type_schema(inner, own.under(declared))
            if own.description:
                schema.setdefault("description", own.description)
            return schema
        if origin in (Union, types.UnionType):
            args = get_args(tp)
            choices = [self.type_schema(arg, declared) for arg in args if arg is not type(None)]
            choices += [{"type": "null"}] if type(None) in args else []
            return {"anyOf": choices}
        if origin is Literal:
            values = list(get_args(tp))
            kind = _JSON_TYPES[type(values[0])]
            return {"const": values[0], "type": kind} if len(values) == 1 else {"enum": values, "type": kind}
        if is_spec_type(tp):
            return {"$ref": f"#/$defs/{self.record(tp)}"}
        if tp is datetime.date:
            return {"format": "date", "type": "string"}
        if origin is list:
            schema = {"items": self.type_schema(get_args(tp)[0]), "type": "array"}
        elif origin is dict:
            keys, values = get_args(tp)
            schema = {"additionalProperties": self.type_schema(values), "type": "object"}
            if keys is not str:
                schema["propertyNames"] = {key: value for key, value in self.type_schema(keys).items() if key != "type"}
        else:
            schema = {"type": _JSON_TYPES[tp]}
        words = _KEYWORDS.get(schema["type"], {})
        return schema | {words[name]: value for name, value in declared.constraints().items() if name in words}

    def record(self, cls: type) -> str:
        """cls's schema in $defs (once), by its name."""
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # taken before the fields are written
            self.defs[cls.__name__] = self.object_schema(cls, cls.__name__)
        return cls.__name__

    def object_schema(self, cls: type, title: str) -> dict[str, Any]:
        fields = fields_of(cls)
        schema: dict[str, Any] = {"additionalProperties": False}
        doc = cls.__dict__.get("__doc__")
        if doc:
            schema["description"] = inspect.cleandoc(doc)
        schema["properties"] = {name: self.property(field) for name, field in fields.items()}
        required = [name for name, field in fields.items() if field.is_required()]
        if required:
            schema["required"] = required
        return schema | {"title": title, "type": "object"}

    def property(self, field: SpecField) -> dict[str, Any]:
        schema = self.type_schema(field.type, field.declared)
        if field.description:
            schema["description"] = field.description
        if not field.is_required() and field.default_factory is None:
            schema["default"] = _plain(field.default)
        if not is_spec_type(unwrap(field.type)):  # a record's own title is its class name
            schema["title"] = field.yaml_name.replace("_", " ").title()
        return schema


def _plain(value: Any) -> Any:
    """A default as JSON: a record as its fields by YAML name."""
    if isinstance(value, SpecModel):
        kind: type = type(value)
        return {name: _plain(getattr(value, field.name)) for name, field in fields_of(kind).items()}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def json_schema() -> str:
    """The JSON Schema of the spec (draft 2020-12), as generated/schema/metrics_spec.schema.json holds it."""
    writer = _Writer()
    schema = writer.object_schema(Spec, "jamdash metrics_spec.yaml")
    schema["$defs"] = writer.defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
