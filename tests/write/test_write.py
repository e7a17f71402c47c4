"""jamdash/write.py: the tree is swapped in atomically, and compare reads without writing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jamdash import write
from jamdash.write import MAX_DIFF_LINES, compare, write_tree
from treekit import snapshot


FILES = {"README.md": "by jamdash\n", "python/m.py": "x = 1\n", "bin/run": "#!/bin/sh\necho hi\n"}


def test_writes_exactly_the_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("stale")
    write_tree(FILES, out)
    assert {k: v[0].decode() for k, v in snapshot(out).items()} == FILES
    assert os.access(out / "bin/run", os.X_OK) and not os.access(out / "python/m.py", os.X_OK)


def test_line_endings_are_lf(tmp_path: Path) -> None:
    write_tree({"a.txt": "one\ntwo\n"}, tmp_path / "out")
    assert (tmp_path / "out/a.txt").read_bytes() == b"one\ntwo\n"


def test_a_new_folder_gets_the_usual_mode_not_the_temporary_folders(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_tree(FILES, tmp_path / "out")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o750)
    write_tree(FILES, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_a_failure_while_staging_leaves_the_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FILES, out)
    before = snapshot(out)
    with pytest.raises(OSError):
        write_tree({"a": "file\n", "a/b": "a file below a file\n"}, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folders left


def test_a_failed_swap_puts_the_old_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the one test that fakes a failure: the rename of the new tree into place
    out = tmp_path / "out"
    write_tree(FILES, out)
    before = snapshot(out)
    real_replace = os.replace

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name.startswith(".out.new-"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)  # the two-rename swap, as off Linux
    with pytest.raises(OSError):
        write_tree({"other.txt": "x\n"}, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_compare_finds_stale_missing_and_extra_files_with_diffs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FILES, out)
    (out / "README.md").write_text("by hand\n")
    (out / "python/m.py").unlink()
    (out / "notes.txt").write_text("mine\n")
    before = snapshot(out)
    drift = compare(FILES, out)
    assert snapshot(out) == before  # compare writes nothing
    assert not drift.clean
    assert list(drift.stale) == ["README.md"] and drift.missing == ["python/m.py"] and drift.extra == ["notes.txt"]
    assert drift.diffs["README.md"].splitlines()[-2:] == ["-by hand", "+by jamdash"]
    assert drift.diffs["python/m.py"].splitlines()[0] == "--- /dev/null"
    assert drift.diffs["python/m.py"].splitlines()[-1] == "+x = 1"
    assert drift.diffs["notes.txt"].splitlines()[1] == "+++ /dev/null"
    assert drift.diffs["notes.txt"].splitlines()[-1] == "-mine"


def test_compare_clean_and_missing_folder(tmp_path: Path) -> None:
    write_tree(FILES, tmp_path / "out")
    assert compare(FILES, tmp_path / "out").clean
    drift = compare(FILES, tmp_path / "nowhere")
    assert sorted(drift.missing) == sorted(FILES) and not (tmp_path / "nowhere").exists()


def test_diffs_are_short(tmp_path: Path) -> None:
    big = "".join(f"line {i}\n" for i in range(200))
    drift = compare({"big.txt": big}, tmp_path)
    lines = drift.diffs["big.txt"].splitlines()
    assert len(lines) == MAX_DIFF_LINES + 1 and lines[-1].endswith("more diff lines")


def test_python_caches_are_not_extra_files(tmp_path: Path) -> None:
    write_tree({"python/m.py": "x = 1\n"}, tmp_path / "out")
    cache = tmp_path / "out/python/__pycache__"
    cache.mkdir()
    (cache / "m.cpython-311.pyc").write_bytes(b"\x00\xff")
    (tmp_path / "out/python/m.pyc").write_bytes(b"\x00\xff")
    assert compare({"python/m.py": "x = 1\n"}, tmp_path / "out").clean


def test_binary_extra_files_are_named_not_dumped(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\xff\xfe\x00" * 100)
    drift = compare({}, tmp_path)
    assert drift.extra == ["blob.bin"] and drift.diffs["blob.bin"] == "blob.bin: binary file (300 bytes) on disk"
