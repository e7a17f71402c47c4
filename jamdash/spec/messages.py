"""Plain-language messages for shape errors: what was expected, what was found, how to fix it."""

from __future__ import annotations

import datetime
from typing import Any

from jamdash import codes
from jamdash.spec.common import DURATION_PATTERN, NAME_PATTERN, NOT_BLANK_PATTERN
from jamdash.spec.fields import SpecField

# pydantic-core error type -> what the field expects
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "list_type": "a list such as [a, b]",
    "tuple_type": "a list such as [a, b]",
    "dict_type": "a mapping of names to entries",
    "dataclass_type": "a mapping of fields",
    "date_type": "a date such as 2025-01-31",
    "date_parsing": "a date such as 2025-01-31",
    "date_from_datetime_parsing": "a date such as 2025-01-31",
    "date_from_datetime_inexact": "a date such as 2025-01-31",
}

_PATTERNS = {
    DURATION_PATTERN: "must be a Prometheus duration such as 30s, 5m or 1h30m",
    NOT_BLANK_PATTERN: "must not be blank",
    NAME_PATTERN: "must be snake_case: a lower-case letter, then lower-case letters, digits or '_'",
}

_NOT_TEXT_HINT = " (YAML reads unquoted numbers, dates, yes/no, on/off and true/false as non-text: quote it)"


def show(value: Any) -> str:
    """A short rendering of an input value as the YAML author wrote it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean (" + ("true" if value else "false") + ")"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, bytes):
        return "binary data"
    return repr(value)


def _wrong_type(kind: str, value: Any) -> str:
    expected = _EXPECTED.get(kind, kind.replace("_", " "))
    message = f"expected {expected}, got {show(value)}"
    if kind == "string_type" and isinstance(value, (bool, int, float, datetime.date)):
        message += _NOT_TEXT_HINT
    return message


def describe(error: Any, field: SpecField | None) -> tuple[str, str]:
    """(rule id, message) for one pydantic-core error other than missing or unknown fields."""
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    if kind in {"literal_error", "enum"}:
        return codes.INVALID_VALUE, f"must be {ctx.get('expected', 'one of the allowed values')}, got {show(value)}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        rule = _PATTERNS.get(pattern) or (f"must be {field.description[0].lower()}{field.description[1:].rstrip('.')}"
                                          if field is not None and field.description else f"must match {pattern}")
        return codes.INVALID_VALUE, f"{rule}, got {show(value)}"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {"greater_than_equal": ("at least", "ge"), "greater_than": ("greater than", "gt"),
                 "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}[kind]
        return codes.INVALID_VALUE, f"must be {words[0]} {ctx.get(words[1])}, got {show(value)}"
    if kind == "string_too_short":
        return codes.INVALID_VALUE, "must not be empty"
    if kind == "too_short":
        return codes.INVALID_VALUE, f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind in {"value_error", "assertion_error"}:
        return codes.INVALID_VALUE, str(ctx.get("error", error.get("msg", "invalid value")))
    if kind in {"date_from_datetime_parsing", "date_parsing"} and isinstance(value, str):
        return codes.INVALID_VALUE, f"{show(value)} is not a valid date; write it as YYYY-MM-DD"
    if kind in _EXPECTED or kind.endswith("_type"):
        return codes.WRONG_TYPE, _wrong_type(kind, value)
    return codes.INVALID_VALUE, str(error.get("msg", "invalid value"))
