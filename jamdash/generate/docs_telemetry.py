"""Generator of generated/docs/telemetry.md: the log consumers' catalogue of log events and their fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate.docs_metrics import metric_link
from jamdash.generate.header import header_text
from jamdash.generate.render import render
from jamdash.model import Model
from jamdash.model.telemetry import Event, EventField, Telemetry

PATH = "docs/telemetry.md"


def _value(field: EventField, t: Telemetry) -> str:
    """What the field's JSON value is, as a log consumer reads it."""
    overflow = field.label.overflow if field.label else "other"
    return {
        "identifier": f"text, cut to {t.identifier_max} characters (then `…`), control characters escaped",
        "secret": f"the value's keyed hash (HMAC-SHA256), {t.hash_length} hex characters",
        "count": ("an object of whole numbers by key: " + ", ".join(f"`{k}`" for k in field.keys)) if field.keys
        else "a whole number",
        "size": "a whole number of bytes",
        "duration_ms": "milliseconds, rounded to 3 decimals (null when not finite)",
        "timestamp": "an ISO 8601 UTC time",
        "enum": f"one of {', '.join(f'`{v}`' for v in field.values)}; anything else logs as `{overflow}`",
        "error_text": f"text, cut to {t.error_text_max} characters, control characters escaped, secrets redacted",
    }[field.kind]


def _field_view(field: EventField, t: Telemetry) -> dict[str, Any]:
    return {"name": field.name, "kind": field.kind, "value": _value(field, t), "help": field.help.rstrip("."),
            "optional": field.optional, "deprecation": field.deprecated.sentence() if field.deprecated else ""}


def _event_view(event: Event, t: Telemetry) -> dict[str, Any]:
    error = next((f.name for f in event.fields if f.kind == "error_text" and f.optional), None)
    return {
        "name": event.name,
        "help": event.help,
        "level": f"{event.level} (warning when `{error}` is set)" if error else event.level,
        "fields": [_field_view(f, t) for f in event.fields],
        "deprecation": event.deprecated.sentence() if event.deprecated else "",
        "deprecated_fields": [f.name for f in event.fields if f.deprecated],
        "metrics": list(dict.fromkeys(metric_link(u.metric.name) for u in event.updates)),
    }


def generate(model: Model) -> Iterator[tuple[str, str]]:
    t = model.telemetry
    if t is None or not t.events:
        return
    yield PATH, render(
        "docs_telemetry.md.j2",
        header=header_text(model.spec_path),
        service=model.service.upper(),
        spec_path=model.spec_path,
        logger=t.logger,
        events=[_event_view(e, t) for e in t.events],
    )
