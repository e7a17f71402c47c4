"""`jamdash generate`: deterministic, atomic, --check writes nothing, exit codes 0/1/2."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import ROOT, SPEC
from speckit import BASE, write_spec
from treekit import snapshot

import jamdash.generate
from jamdash.cli import cli
from jamdash.model import Model
from jamdash.pipeline import build


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's spec generated once for this module, as `out` has it: <folder>/generated beside
    <folder>/metrics_spec.yaml."""
    folder = tmp_path_factory.mktemp("once")
    path = folder / "generated"
    result = run("generate", "--spec", str(write_spec(folder, SPEC.read_text(encoding="utf-8"))), "--out", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def out(tmp_path: Path, spec: Path, generated_once: Path) -> Path:
    """A folder freshly generated from the repository's spec: a copy of generated_once (the same bytes,
    modes and layout), which the test may change."""
    path = tmp_path / "generated"
    shutil.copytree(generated_once, path)
    return path


def test_writes_the_output_tree(out: Path) -> None:
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {"README.md", "python/jam_metrics.py", "schema/metrics_spec.schema.json"} <= set(files)


def test_rerun_gives_identical_bytes(out: Path, spec: Path) -> None:
    before = {k: v[0] for k, v in snapshot(out).items()}
    assert run("generate", "--spec", str(spec), "--out", str(out)).exit_code == 0
    assert {k: v[0] for k, v in snapshot(out).items()} == before


def test_output_does_not_depend_on_the_order_of_the_spec(tmp_path: Path, out: Path) -> None:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data["metrics"] = dict(reversed(list(data["metrics"].items())))
    data["labels"] = dict(reversed(list(data["labels"].items())))
    shuffled = tmp_path / "other" / "metrics_spec.yaml"
    shuffled.parent.mkdir()
    shuffled.write_text(yaml.safe_dump(dict(reversed(list(data.items()))), sort_keys=False), encoding="utf-8")
    other = tmp_path / "other" / "generated"
    assert run("generate", "--spec", str(shuffled), "--out", str(other)).exit_code == 0
    assert {k: v[0] for k, v in snapshot(other).items()} == {k: v[0] for k, v in snapshot(out).items()}


def test_no_timestamps_or_absolute_paths(generated_once: Path) -> None:
    for path in generated_once.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert str(generated_once.parent) not in text and "\r" not in text


def test_a_bad_spec_leaves_the_output_untouched(out: Path, spec: Path) -> None:
    before = snapshot(out)
    spec.write_text(spec.read_text(encoding="utf-8").replace("type: counter", "type: countr", 1), encoding="utf-8")
    result = run("generate", "--spec", str(spec), "--out", str(out))
    assert result.exit_code == 1
    assert "error: [invalid-value]" in result.output
    assert snapshot(out) == before


def test_a_failing_generator_leaves_the_output_untouched(out: Path, spec: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(out)

    def broken(model: Model) -> Iterable[tuple[str, str]]:
        yield "python/half.py", "x = 1\n"
        raise RuntimeError("generator bug")

    monkeypatch.setattr(jamdash.generate, "GENERATORS", (*jamdash.generate.GENERATORS, broken))
    result = run("generate", "--spec", str(spec), "--out", str(out))
    assert isinstance(result.exception, RuntimeError)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["generated", spec.name])


def test_warnings_are_printed_but_do_not_stop_generate(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, BASE.replace("labels:\n", "labels:\n  zone:\n    help: Z.\n    values: [a]\n", 1))
    result = run("generate", "--spec", str(spec), "--out", str(tmp_path / "g"))
    assert result.exit_code == 0
    assert "warning: [label-unused]" in result.output


# --- --check --------------------------------------------------------------------------------------


def expected_files(spec: Path) -> dict[str, str]:
    model = build(str(spec)).model
    assert model is not None
    return jamdash.generate.generate_all(model)


def check(spec: Path, out: Path) -> Result:
    before = snapshot(out) if out.exists() else None
    result = run("generate", "--spec", str(spec), "--out", str(out), "--check")
    assert (snapshot(out) if out.exists() else None) == before, "--check wrote something"
    return result


def test_check_passes_on_fresh_output(out: Path, spec: Path) -> None:
    result = check(spec, out)
    assert result.exit_code == 0, result.output


def test_check_reports_a_stale_file_with_a_diff(out: Path, spec: Path) -> None:
    with open(out / "README.md", "a", encoding="utf-8") as fh:
        fh.write("edited by hand\n")
    result = check(spec, out)
    assert result.exit_code == 1
    assert f"stale: {out / 'README.md'}" in result.output
    assert "-edited by hand" in result.output
    assert "1 stale, 0 missing, 0 extra" in result.output


def test_check_reports_a_missing_file_with_a_diff(out: Path, spec: Path) -> None:
    (out / "python/jam_metrics.py").unlink()
    result = check(spec, out)
    assert result.exit_code == 1
    assert f"missing: {out / 'python/jam_metrics.py'}" in result.output
    assert "+++ python/jam_metrics.py (generated)" in result.output
    assert "+# generated from metrics_spec.yaml by jamdash" in result.output
    assert "0 stale, 1 missing, 0 extra" in result.output


def test_check_reports_an_extra_file_with_a_diff(out: Path, spec: Path) -> None:
    (out / "python/leftover.py").write_text("old = True\n", encoding="utf-8")
    result = check(spec, out)
    assert result.exit_code == 1
    assert f"extra: {out / 'python/leftover.py'}" in result.output
    assert "-old = True" in result.output
    assert "0 stale, 0 missing, 1 extra" in result.output


def test_check_without_output_folder_says_so_in_one_line(tmp_path: Path, spec: Path) -> None:
    # issue 15 item 11: with generated/ missing, --check printed ~2,300 diff lines before its summary
    result = check(spec, tmp_path / "absent")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'absent'} does not exist ({len(expected_files(spec))} files missing): "
        "run 'jamdash generate'"]
    assert not (tmp_path / "absent").exists()


def test_check_puts_the_summary_first_and_caps_the_diffs_with_a_count(out: Path, spec: Path) -> None:
    removed = [*out.rglob("*.md"), *out.rglob("*.py"), *out.rglob("*.json")]
    for path in removed:
        path.unlink()
    result = check(spec, out)
    lines = result.output.splitlines()
    gone = len(removed)
    assert result.exit_code == 1 and lines[0] == f"{out} is out of date (0 stale, {gone} missing, 0 extra): " \
                                                  "run 'jamdash generate'"
    assert sum(line.startswith("missing: ") for line in lines) == gone  # every file named ...
    assert sum(line.startswith("+++ ") for line in lines) == 5  # ... the first five with a diff
    assert lines[-1] == f"... diffs of {gone - 5} more files not shown"


def test_check_with_a_bad_spec(tmp_path: Path, out: Path) -> None:
    bad = write_spec(tmp_path, "version: 1\n")
    result = check(bad, out)
    assert result.exit_code == 1 and "[missing-field]" in result.output


# --- exit codes and the folder jamdash owns --------------------------------------------------------


def test_usage_errors_exit_2(tmp_path: Path, spec: Path) -> None:
    assert run("generate", "--bogus").exit_code == 2
    assert run("generate", "--spec", str(tmp_path / "missing.yaml")).exit_code == 2
    assert run("generate", "--spec", str(tmp_path)).exit_code == 2  # a directory
    assert run("frobnicate").exit_code == 2


def test_refuses_to_replace_a_folder_jamdash_did_not_write(tmp_path: Path, spec: Path) -> None:
    foreign = tmp_path / "src"
    foreign.mkdir()
    (foreign / "main.py").write_text("print('mine')\n", encoding="utf-8")
    (foreign / "README.md").write_text("# my project\n", encoding="utf-8")
    before = snapshot(foreign)
    result = run("generate", "--spec", str(spec), "--out", str(foreign))
    assert result.exit_code == 2
    assert "refusing to replace" in result.output
    assert snapshot(foreign) == before


def test_refuses_to_replace_a_file(tmp_path: Path, spec: Path) -> None:
    target = tmp_path / "file"
    target.write_text("keep\n", encoding="utf-8")
    assert run("generate", "--spec", str(spec), "--out", str(target)).exit_code == 2
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_an_unwritable_out_is_an_error_not_a_traceback(tmp_path: Path, spec: Path) -> None:
    (tmp_path / "file").write_text("x\n", encoding="utf-8")
    result = run("generate", "--spec", str(spec), "--out", str(tmp_path / "file" / "generated"))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "error: cannot write" in result.output


def test_replaces_its_own_output_and_fills_an_empty_folder(tmp_path: Path, out: Path, spec: Path) -> None:
    (out / "python/leftover.py").write_text("old = True\n", encoding="utf-8")
    assert run("generate", "--spec", str(spec), "--out", str(out)).exit_code == 0
    assert not (out / "python/leftover.py").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("generate", "--spec", str(spec), "--out", str(empty)).exit_code == 0


@pytest.mark.slow
def test_the_installed_command_exit_codes(tmp_path: Path) -> None:
    """The real console script, in a subprocess: 0 ok, 1 spec problems, 2 usage errors (on a small spec: the
    subject is the process's exit code, which the tests above show for the JAM spec in process)."""
    jamdash = Path(sys.executable).parent / "jamdash"
    spec = write_spec(tmp_path, BASE)
    bad = write_spec(tmp_path, "version: 1\n", "bad.yaml")

    def code(*args: str) -> int:
        return subprocess.run([str(jamdash), *args], cwd=tmp_path, capture_output=True, timeout=60).returncode

    assert code("generate", "--spec", str(spec), "--out", "g") == 0
    assert code("generate", "--spec", str(spec), "--out", "g", "--check") == 0
    assert code("generate", "--spec", str(bad), "--out", "g") == 1
    assert code("generate", "--spec", "nope.yaml") == 2


# --- jamdash --help stays light --------------------------------------------------------------------

HEAVY = ("grafanalib", "pydantic", "jinja2", "yaml", "prometheus_client", "promql_parser")


HELPS = [["--help"], ["generate", "--help"], ["lint", "--help"], ["schema", "--help"]]


def test_help_imports_no_heavy_library() -> None:
    """Each --help in turn in one fresh process, the modules loaded so far printed after each: a heavy
    library shows up after the first --help that loads it."""
    code = (
        "import sys\n"
        "from jamdash.cli import main\n"
        f"for args in {HELPS!r}:\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "    print('modules:', ' '.join(sorted(m for m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0, result.stderr
    after = [set(line.split()[1:]) for line in result.stdout.splitlines() if line.startswith("modules: ")]
    assert len(after) == len(HELPS)
    for args, loaded in zip(HELPS, after):
        assert "click" in loaded  # the check itself works
        assert [m for m in loaded if m.split(".")[0] in HEAVY] == [], args


def test_generate_imports_pydantic_core_but_not_pydantic_models(tmp_path: Path) -> None:
    """The spec is validated by pydantic-core from the records' declarations: pydantic's model machinery
    (pydantic.main, pydantic.fields, ~85 ms of a cold run) is never imported by generate."""
    code = (
        "import sys\n"
        "from jamdash.cli import main\n"
        f"try:\n    main(['generate', '--spec', {str(SPEC)!r}, '--out', {str(tmp_path / 'g')!r}])\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print('modules:', ' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split("modules: ")[1].split())
    assert "pydantic_core" in loaded and (tmp_path / "g" / "schema").is_dir()
    assert sorted(m for m in loaded if m.split(".")[0] == "pydantic") == []


def test_the_heap_is_frozen_while_generating_and_released_after() -> None:
    from jamdash.commands.generate import frozen_heap

    before = gc.get_freeze_count()
    with pytest.raises(RuntimeError), frozen_heap():
        assert gc.get_freeze_count() > before
        raise RuntimeError("a failing run still unfreezes")
    assert gc.get_freeze_count() == 0


def test_imports_run_with_the_collector_paused_and_leave_the_heap_frozen() -> None:
    from jamdash.commands.generate import collector_paused

    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            made = [object() for _ in range(10)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    finally:
        gc.unfreeze()
