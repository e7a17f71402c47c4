"""A small spec and the edits the compatibility tests apply to it, one breaking-change kind each."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

BASE: dict[str, Any] = {
    "version": 1,
    "service": "jam",
    "max_series": 500,
    "labels": {
        "store": {"help": "The backing store.", "values": ["memory", "postgres"]},
        "reason": {"help": "Why it was rejected.", "values": ["too_large", "unsupported_media"]},
        "service_id": {"help": "The JAM service.", "max_values": 4},
    },
    "metrics": {
        "jam_uploads_total": {"type": "counter", "help": "Uploads stored.", "labels": ["store"]},
        "jam_rejects_total": {"type": "counter", "help": "Uploads rejected.", "labels": ["reason"]},
        "jam_upload_duration_seconds": {"type": "histogram", "unit": "seconds", "help": "Time to store one upload.",
                                        "labels": ["store"], "buckets": [0.01, 0.1, 1]},
        "jam_pending": {"type": "gauge", "help": "Packages waiting, by service_id to see whose queue grows.",
                        "labels": ["store", "service_id"]},
        "jam_upload_size": {"type": "gauge", "help": "Size of the last upload."},
    },
}

Edit = Callable[[dict[str, Any]], None]


def edited(*edits: Edit, base: dict[str, Any] | None = None) -> dict[str, Any]:
    spec = copy.deepcopy(base or BASE)
    for edit in edits:
        edit(spec)
    return spec


def write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def metric(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda spec: spec["metrics"][name]


def rename_metric(old: str, new: str, keep_deprecated: bool = False) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        spec["metrics"][new] = copy.deepcopy(spec["metrics"][old])
        if keep_deprecated:
            spec["metrics"][old]["deprecated"] = {"reason": f"Renamed to {new}.", "renamed_to": new}
        else:
            del spec["metrics"][old]
    return edit


def remove_metric(name: str) -> Edit:
    return lambda spec: spec["metrics"].pop(name)  # type: ignore[no-any-return]


def add_metric(name: str, body: dict[str, Any]) -> Edit:
    return lambda spec: spec["metrics"].__setitem__(name, body)


def set_field(name: str, key: str, value: Any) -> Edit:
    return lambda spec: spec["metrics"][name].__setitem__(key, value)


def set_label(key: str, field: str, value: Any) -> Edit:
    return lambda spec: spec["labels"][key].__setitem__(field, value)


def change_unit(name: str, unit: str) -> Edit:
    """A unit change that keeps the name: it needs the unit-suffix waiver to lint clean."""
    def edit(spec: dict[str, Any]) -> None:
        spec["metrics"][name]["unit"] = unit
        waive(name, "unit-suffix")(spec)
    return edit


def waive(name: str, rule: str) -> Edit:
    return lambda spec: spec["metrics"][name].setdefault("waivers", []).append({"rule": str(rule), "reason": "planned"})
