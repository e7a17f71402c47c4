"""The committed generated/ is exactly what the spec generates, byte for byte."""

from __future__ import annotations

from conftest import GENERATED, SPEC

from jamdash.generate import generate_all
from jamdash.pipeline import build
from jamdash.write import compare


def test_committed_output_matches_the_spec() -> None:
    result = build(str(SPEC))
    assert result.model is not None, result.findings
    drift = compare(generate_all(result.model), GENERATED)
    assert drift.clean, f"run 'make generate': stale={list(drift.stale)} missing={drift.missing} extra={drift.extra}"


def test_generating_twice_gives_identical_bytes() -> None:
    first = generate_all(build(str(SPEC)).model)  # type: ignore[arg-type]
    second = generate_all(build(str(SPEC)).model)  # type: ignore[arg-type]
    assert first == second
