"""Spec's validator is cached per user, keyed by jamdash/spec/'s source: it validates as pydantic's own does."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from usercache import use_cache

from conftest import SPEC
from jamdash.spec import Spec, compiled

JAM = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
BROKEN = {**JAM, "max_series": "many", "metrics": {**JAM["metrics"], "x_total": {"type": "counter", "lables": []}}}


@pytest.fixture(autouse=True)
def fresh_validator() -> Iterator[None]:
    """spec_validator() remembers its answer per run: each test asks it anew, and leaves it clean."""
    compiled.spec_validator.cache_clear()
    yield
    compiled.spec_validator.cache_clear()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cache(monkeypatch, tmp_path)
    return tmp_path


def entry(cache_home: Path) -> Path:
    return cache_home / "jamdash" / "validator" / f"{compiled.key()}.pickle"


def errors(validate: Any, data: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        validate(data)
    return caught.value.errors(include_url=False)


def test_the_first_run_stores_the_validator_and_the_next_reads_it(cache_home: Path) -> None:
    assert compiled.spec_validator()(JAM) == Spec.model_validate(JAM)
    stored = entry(cache_home).read_bytes()
    compiled.spec_validator.cache_clear()
    from_cache = compiled.spec_validator()
    assert from_cache != Spec.model_validate  # the cached validator, not pydantic's
    assert from_cache(JAM) == Spec.model_validate(JAM)
    assert errors(from_cache, BROKEN) == errors(Spec.model_validate, BROKEN)
    assert entry(cache_home).read_bytes() == stored


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"not": "a validator"}),
                                    pickle.dumps(list(range(100)))[:-7]])
def test_a_damaged_entry_is_rebuilt(cache_home: Path, damage: bytes) -> None:
    entry(cache_home).parent.mkdir(parents=True)
    entry(cache_home).write_bytes(damage)
    assert compiled.spec_validator()(JAM) == Spec.model_validate(JAM)
    assert pickle.loads(entry(cache_home).read_bytes()).validate_python(JAM) == Spec.model_validate(JAM)


def test_an_unusable_cache_folder_only_costs_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    use_cache(monkeypatch, blocker)
    assert compiled.spec_validator() == Spec.model_validate


def test_no_cache_when_python_is_told_not_to_write_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cache(monkeypatch, tmp_path, bytecode=False)
    assert compiled.spec_validator() == Spec.model_validate
    assert not (tmp_path / "jamdash").exists()
