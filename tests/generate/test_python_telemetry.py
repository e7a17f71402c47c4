"""The python_telemetry generator: golden output for a small spec, and the repository's own module."""

from __future__ import annotations

from pathlib import Path

import pytest
from goldenkit import GOLDEN, UPDATE

from jamdash.generate import python_telemetry
from jamdash.pipeline import build

CASES = GOLDEN / "python_telemetry"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()), ids=str)
def test_golden_module(case: str) -> None:
    folder = CASES / case
    assert (folder / "README.md").is_file()
    result = build(str(folder / "metrics_spec.yaml"))
    assert result.model is not None and result.findings == [], result.findings
    files = dict(python_telemetry.generate(result.model))
    if UPDATE:
        for path, text in files.items():
            (folder / "expected" / Path(path).name).write_text(text)
    expected = {p.relative_to(folder / "expected").as_posix(): p.read_text()
                for p in (folder / "expected").rglob("*.py")}
    assert {Path(k).name: v for k, v in files.items()} == expected


@pytest.mark.slow
def test_golden_modules_pass_mypy_strict_and_keep_their_layout(tmp_path: Path, mypy_cache: str) -> None:
    import re
    import subprocess
    import sys

    from jamdash.generate import generate_all

    modules = []
    for folder in sorted(CASES.iterdir()):
        result = build(str(folder / "metrics_spec.yaml"))
        assert result.model is not None
        for path, text in generate_all(result.model).items():
            if path.startswith("python/"):
                (tmp_path / Path(path).name).write_text(text)
                if path.endswith("_telemetry.py"):
                    modules.append(str(tmp_path / Path(path).name))
                    assert not re.search(r"\n\n\n\n", text), f"{path}: more than two blank lines"
                    assert not re.search(r"[ \t]\n", text), f"{path}: trailing whitespace"
                    assert not re.search(r"\n\n\n    ", text), f"{path}: two blank lines inside a class"
                    assert max(len(line) for line in text.splitlines()) <= 99, f"{path}: a line over 99"
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", mypy_cache, *modules],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_telemetry_section_means_no_module() -> None:
    result = build(str(CASES / "small" / "metrics_spec.yaml"))
    assert result.model is not None
    from dataclasses import replace

    assert list(python_telemetry.generate(replace(result.model, telemetry=None))) == []


def test_deprecated_events_and_fields_are_marked_in_the_helpers_docstrings() -> None:
    result = build(str(CASES / "deprecated" / "metrics_spec.yaml"))
    assert result.model is not None
    module = "".join(text for _, text in python_telemetry.generate(result.model))
    started = module.split("def job_started(", 1)[1].split('"""')[1]
    assert started.split("\n\n")[1].strip() == "Deprecated: Read job_done instead. Log consumers should stop reading it."
    done = " ".join(module.split("def job_done(", 1)[1].split('"""')[1].split())
    assert "``job_id``: The job. ``worker``: The worker that ran it. Deprecated until 2027-03-31: Workers are " \
           "anonymous now. ``queue``: Deprecated: One queue only." in done
    assert "Log consumers" not in done  # the event itself is current
