"""The python_telemetry generator: golden output for a small spec, and the repository's own module."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamdash.generate import python_telemetry
from jamdash.pipeline import build

CASES = Path(__file__).parent / "golden" / "python_telemetry"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()), ids=str)
def test_golden_module(case: str) -> None:
    folder = CASES / case
    assert (folder / "README.md").is_file()
    result = build(str(folder / "metrics_spec.yaml"))
    assert result.model is not None and result.findings == [], result.findings
    files = dict(python_telemetry.generate(result.model))
    expected = {p.relative_to(folder / "expected").as_posix(): p.read_text()
                for p in (folder / "expected").rglob("*.py")}
    assert {Path(k).name: v for k, v in files.items()} == expected


def test_no_telemetry_section_means_no_module() -> None:
    result = build(str(CASES / "small" / "metrics_spec.yaml"))
    assert result.model is not None
    from dataclasses import replace

    assert list(python_telemetry.generate(replace(result.model, telemetry=None))) == []
