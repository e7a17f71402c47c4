"""The spec's JSON Schema is cached per user, keyed by jamdash/spec/'s source; never at the cost of a run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from usercache import use_cache

from jamdash.generate import schema
from jamdash.spec import compiled, json_schema

FRESH = json_schema()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cache(monkeypatch, tmp_path)
    return tmp_path


def entry(cache_home: Path) -> Path:
    return cache_home / "jamdash" / "schema" / f"{compiled.key()}.json"


def test_the_first_run_stores_the_schema_and_the_next_reads_it(cache_home: Path) -> None:
    assert schema.cached_json_schema() == FRESH
    assert entry(cache_home).read_text(encoding="utf-8") == FRESH
    entry(cache_home).write_text('{"read": "from the cache"}\n', encoding="utf-8")
    assert schema.cached_json_schema() == '{"read": "from the cache"}\n'


@pytest.mark.parametrize("damage", ["", '{"truncated": ', "not json at all\n", '{"no": "newline"}'])
def test_a_damaged_entry_is_rebuilt(cache_home: Path, damage: str) -> None:
    entry(cache_home).parent.mkdir(parents=True)
    entry(cache_home).write_text(damage, encoding="utf-8")
    assert schema.cached_json_schema() == FRESH
    assert entry(cache_home).read_text(encoding="utf-8") == FRESH


def test_editing_the_spec_types_changes_the_key(tmp_path: Path) -> None:
    copy = tmp_path / "spec"
    shutil.copytree(compiled.SOURCES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = compiled.digest(copy)
    assert before == compiled.key()
    metrics = copy / "metrics.py"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    edited = compiled.digest(copy)
    assert edited != before
    (copy / "newsection.py").write_text('"""A new section."""\n', encoding="utf-8")
    assert compiled.digest(copy) not in (before, edited)


def test_an_unusable_cache_folder_only_costs_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    use_cache(monkeypatch, blocker)
    assert schema.cached_json_schema() == FRESH


def test_no_cache_when_python_is_told_not_to_write_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cache(monkeypatch, tmp_path, bytecode=False)
    assert schema.cached_json_schema() == FRESH
    assert not (tmp_path / "jamdash").exists()
