"""Edits of a Prometheus text exposition, the way a drifted service would expose it."""

from __future__ import annotations

import re


def drop(text: str, *names: str) -> str:
    """text without the samples and HELP/TYPE lines of these names."""
    def name(line: str) -> str:
        parts = line.split()
        return parts[2] if line.startswith("#") and len(parts) > 2 else re.split(r"[{ ]", line, maxsplit=1)[0]
    return "".join(line + "\n" for line in text.splitlines() if name(line) not in names)


def after_type(text: str, metric: str, *lines: str) -> str:
    """text with sample lines added right after metric's TYPE line."""
    marker = re.search(rf"^# TYPE {re.escape(metric)} \w+\n", text, flags=re.M)
    assert marker, metric
    return text[:marker.end()] + "".join(line + "\n" for line in lines) + text[marker.end():]
