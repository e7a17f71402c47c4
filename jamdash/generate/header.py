"""The do-not-edit header every generated file carries where its format allows one."""

from __future__ import annotations


def header_text(spec_path: str) -> str:
    return f"generated from {spec_path} by jamdash — do not edit"


def commented(spec_path: str, prefix: str = "#") -> str:
    """The header as one comment line, with its newline."""
    return f"{prefix} {header_text(spec_path)}\n"
