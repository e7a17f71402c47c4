"""The shared Jinja2 environment: compiled templates cached per user, never at the cost of a run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from usercache import use_cache

from jamdash.generate import python_metrics, render
from jamdash.model import Model


@pytest.fixture(autouse=True)
def fresh_environment() -> Iterator[None]:
    """The Jinja environment of a test's last render (each render builds its own, see render_afresh) is not
    left for the tests after it."""
    yield
    render.environment.cache_clear()


def render_afresh(model: Model, monkeypatch: pytest.MonkeyPatch, cache_home: Path, write_bytecode: bool = True) -> str:
    """jam_metrics.py rendered by a new Jinja environment with the user's cache under cache_home, as a fresh
    process renders it (templates compiled, or read from the cache)."""
    use_cache(monkeypatch, cache_home, bytecode=write_bytecode)
    render.environment.cache_clear()
    [(_, text)] = python_metrics.generate(model)
    return text


def test_compiled_templates_are_cached_and_render_the_same(tmp_path: Path, model: Model,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cold = render_afresh(model, monkeypatch, tmp_path)
    cached = list((tmp_path / "jamdash" / "jinja").iterdir())
    assert cached, "the first run should leave the compiled template in the cache"
    for entry in cached:  # dated far back: an entry compiled and written again would show now's time
        os.utime(entry, ns=(0, 0))
    assert render_afresh(model, monkeypatch, tmp_path) == cold
    assert sorted((tmp_path / "jamdash" / "jinja").iterdir()) == sorted(cached)
    assert all(entry.stat().st_mtime_ns == 0 for entry in cached), "the second run should read the cache"
    assert cold.startswith("# generated from metrics_spec.yaml")


def test_an_unusable_cache_folder_only_costs_compile_time(tmp_path: Path, model: Model,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    reference = render_afresh(model, monkeypatch, tmp_path / "ok")
    assert render_afresh(model, monkeypatch, blocker) == reference


def test_no_cache_when_python_is_told_not_to_write_bytecode(tmp_path: Path, model: Model,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    render_afresh(model, monkeypatch, tmp_path, write_bytecode=False)
    assert not (tmp_path / "jamdash").exists()
