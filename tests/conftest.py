"""Shared test fixtures: repository paths, the CLI runner, and required external tools."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from prometheus_client import CollectorRegistry

from jamdash.model import Model
from jamdash.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "metrics_spec.yaml"
GENERATED = ROOT / "generated"

# CI sets this: a test that needs promtool, Prometheus, Alertmanager or PostgreSQL must run there.
REQUIRE_TOOLS = os.environ.get("JAMDASH_REQUIRE_TOOLS") == "1"

pytest_plugins = ["slowness"]  # tests/support/slowness.py: slow files first, unmarked slow tests named

# the run's cache folder, and the JAMDASH_CACHE_DIR it replaced
_CACHE_KEY = pytest.StashKey[tuple[str, "str | None"]]()


def pytest_configure(config: pytest.Config) -> None:
    """jamdash's cache folder, for this run only (subprocesses and pytest-xdist's workers, started
    after this, inherit it): a promtool pass remembered by an earlier run or in the user's cache never
    stands in for a run here, while the dozen tests that lint the repository's unchanged output run
    promtool on it once per run, whichever worker gets there first. Tests of the caches themselves set
    their own folder."""
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller's folder is already in the environment
    folder = tempfile.mkdtemp(prefix="jamdash-cache-")
    config.stash[_CACHE_KEY] = (folder, os.environ.get("JAMDASH_CACHE_DIR"))
    os.environ["JAMDASH_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_KEY not in config.stash:
        return
    folder, old = config.stash[_CACHE_KEY]
    shutil.rmtree(folder, ignore_errors=True)
    if old is None:
        os.environ.pop("JAMDASH_CACHE_DIR", None)
    else:
        os.environ["JAMDASH_CACHE_DIR"] = old


def require_tool(name: str, *candidates: str) -> str:
    """The path of an external tool; skips the test when it is missing, fails under CI."""
    for candidate in (name, *candidates):
        found = shutil.which(candidate) or (candidate if os.path.isabs(candidate) and os.access(candidate, os.X_OK) else None)
        if found:
            return found
    message = f"{name} is not installed (run 'make test', which installs it on Debian as root)"
    if REQUIRE_TOOLS:
        pytest.fail(message + "; JAMDASH_REQUIRE_TOOLS=1 forbids skipping", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def generated_python(monkeypatch: pytest.MonkeyPatch) -> Path:
    """generated/python on sys.path, so tests import the generated modules as a host app does."""
    path = GENERATED / "python"
    monkeypatch.syspath_prepend(str(path))
    for name in [m for m in sys.modules if m.startswith("jam_")]:
        monkeypatch.delitem(sys.modules, name)
    return path


@pytest.fixture
def jam_metrics(generated_python: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The generated jam_metrics module, freshly imported from generated/python."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # generated/ must hold only generated files
    return importlib.import_module("jam_metrics")


@pytest.fixture
def jam_registry(jam_metrics: ModuleType) -> CollectorRegistry:
    """The generated metrics on a fresh registry, one series of the bounded label (service_id) used."""
    metrics = jam_metrics.JamMetrics.fresh()
    metrics.jam_package_submit_total["memory", "svc-1"].inc()
    registry: CollectorRegistry = metrics.registry
    return registry


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One mypy cache folder for the session's mypy runs: the standard library and prometheus_client are
    analysed once, not once per run (mypy rechecks whatever changed; a new session starts empty)."""
    return str(tmp_path_factory.mktemp("mypy-cache"))


@pytest.fixture(scope="session")
def model() -> Model:
    """The resolved model of the repository's metrics_spec.yaml (frozen, so tests share one)."""
    result = build(str(SPEC))
    assert result.model is not None, result.findings
    return result.model


# The temporary PostgreSQL server (tests/support/pg.py), declared here so the whole session shares one.
from pg import pg_cluster, pg_dsn  # noqa: E402,F401
