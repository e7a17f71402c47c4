"""The metrics-module generator: golden cases, literal rendering, and no dead code in its output."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import GENERATED
from goldenkit import HOW_TO_UPDATE, UPDATE, cases
from hypothesis import given
from hypothesis import strategies as st
from metrics_scrape import family_name, families, scrape, touch_all

from jamdash.generate import python_metrics
from jamdash.generate.render import py_string, py_string_wrapped
from jamdash.model import Model
from jamdash.pipeline import build

GOLDEN = cases("python_metrics")[0].parent
CASES = [case.name for case in cases("python_metrics")]


def case_model(case: str) -> Model:
    result = build(str(GOLDEN / case / "metrics_spec.yaml"))
    assert result.model is not None, result.findings
    return result.model


def expected_module(case: str) -> Path:
    [path] = (GOLDEN / case / "expected").glob("*.py")
    return path


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"golden_{path.parent.parent.name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    [(path, text)] = python_metrics.generate(case_model(case))
    expected = GOLDEN / case / "expected" / Path(path).name
    if UPDATE:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert (GOLDEN / case / "README.md").is_file(), f"{case} needs a README.md"
    assert text == expected.read_text(encoding="utf-8"), f"{case}: generated module changed; {HOW_TO_UPDATE}"


@pytest.mark.parametrize("case", CASES)
def test_golden_module_scrapes_as_its_spec_says(case: str) -> None:
    model = case_model(case)
    module = load(expected_module(case))
    metrics = getattr(module, python_metrics.class_name(model)).fresh()
    touch_all(metrics, model)
    scraped = families(scrape(metrics.registry))
    assert sorted(scraped) == sorted(family_name(m) for m in model.metrics)
    assert module.SERIES_BUDGET == model.total_series


@pytest.mark.slow
def test_golden_modules_pass_mypy_strict(mypy_cache: str) -> None:
    modules = [str(expected_module(case)) for case in CASES]
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", mypy_cache, *modules],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout


def unused_imports(source: str) -> set[str]:
    tree = ast.parse(source)
    imported = {(alias.asname or alias.name).split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    imported.discard("annotations")
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {str(node.value) for node in ast.walk(tree) if isinstance(node, ast.Constant)}  # __all__, strings
    return imported - used


@pytest.mark.parametrize("path", [*(str(expected_module(c)) for c in CASES), str(GENERATED / "python" / "jam_metrics.py")])
def test_no_unused_imports_and_lines_fit(path: str) -> None:
    source = Path(path).read_text(encoding="utf-8")
    assert not unused_imports(source), unused_imports(source)
    assert max(len(line) for line in source.splitlines()) <= 99


def test_unlabelled_spec_has_no_label_machinery() -> None:
    source = expected_module("no_labels").read_text(encoding="utf-8")
    for absent in ("LabelledMetric", "_Label", "overflow", "threading", "Histogram"):
        assert absent not in source


def test_closed_labels_need_no_admission() -> None:
    source = expected_module("closed_labels").read_text(encoding="utf-8")
    assert "_Admitted" not in source and "fcntl" not in source
    module = load(expected_module("closed_labels"))
    metrics = module.ShopMetrics.fresh()
    bound = [s for family in metrics.registry.collect() if family.name == "shop_orders"
             for s in family.samples if s.name == "shop_orders_total"]
    assert len(bound) == 2 * 3  # every closed child bound, and exported, at registration
    metrics.shop_orders_total["memory", "lost"].inc()
    assert metrics.registry.get_sample_value("shop_orders_total", {"store": "memory", "result": "unknown"}) == 1


@given(st.text())
def test_py_string_round_trips(text: str) -> None:
    assert ast.literal_eval(py_string(text)) == text


@given(st.lists(st.text(alphabet="abcdefghij\"'\\", min_size=1, max_size=12), max_size=40),
       st.integers(min_value=0, max_value=40))
def test_wrapped_strings_round_trip_and_fit(words: list[str], indent: int) -> None:
    text = " ".join(words)
    literal = py_string_wrapped(text, indent)
    assert ast.literal_eval("(" + literal + ")") == text
    lines = literal.splitlines()
    assert all(indent + len(line.strip()) + 1 <= 99 for line in lines)
