"""write: the only code that writes files; atomic, deterministic, and a --check that writes nothing."""

from __future__ import annotations

import difflib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MAX_DIFF_LINES = 12
# Caches that importing the generated Python leaves behind: not output, so never extra.
IGNORED_DIRS = frozenset({"__pycache__"})


@dataclass(frozen=True)
class Drift:
    """How the files on disk differ from what would be generated.

    stale maps each stale file to a short diff; diffs holds a short diff for every stale, missing
    and extra file (a missing file's diff adds its first lines, an extra file's removes them).
    """

    stale: dict[str, str]
    missing: list[str]
    extra: list[str]
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra)


def _ignored(rel: Path) -> bool:
    return any(part in IGNORED_DIRS for part in rel.parts[:-1]) or rel.suffix == ".pyc"


def _on_disk(out: Path) -> dict[str, bytes]:
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not _ignored(p.relative_to(out))}


def short_diff(path: str, old: bytes | None, new: str | None) -> str:
    """A unified diff of at most MAX_DIFF_LINES lines; None stands for a file that does not exist."""
    try:
        old_lines = [] if old is None else old.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return f"{path}: binary file ({len(old or b'')} bytes) on disk"
    new_lines = [] if new is None else new.splitlines()
    lines = list(difflib.unified_diff(
        old_lines, new_lines,
        f"{path} (on disk)" if old is not None else "/dev/null",
        f"{path} (generated)" if new is not None else "/dev/null",
        lineterm="", n=1,
    ))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def compare(files: dict[str, str], out: Path) -> Drift:
    """What writing files to out would change; reads only."""
    existing = _on_disk(out)
    stale = {
        path: short_diff(path, existing[path], text)
        for path, text in files.items()
        if path in existing and existing[path] != text.encode("utf-8")
    }
    missing = [path for path in files if path not in existing]
    extra = [path for path in existing if path not in files]
    diffs = {**stale,
             **{path: short_diff(path, None, files[path]) for path in missing},
             **{path: short_diff(path, existing[path], None) for path in extra}}
    return Drift(stale, missing, extra, dict(sorted(diffs.items())))


def _folder_mode(out: Path) -> int:
    """Keep the mode of the folder being replaced; a new folder gets the usual 0o777 minus umask."""
    if out.is_dir():
        return out.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _stage(files: dict[str, str], staging: Path) -> None:
    for rel, text in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if text.startswith("#!"):
            os.chmod(target, 0o755)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    import ctypes  # only to replace an existing tree: a first write into a new folder never loads it

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on folder: one writer at a time, so no run removes another's staging folder."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _recover(out: Path) -> None:
    """Undo what a killed run left: its old tree put back if out is gone, then its folders removed."""
    left = sorted(out.parent.glob(f".{out.name}.old-*")) + sorted(out.parent.glob(f".{out.name}.new-*"))
    if not out.exists() and left and left[0].name.startswith(f".{out.name}.old-"):
        os.replace(left.pop(0), out)  # killed between the two renames of the fallback swap
    for folder in left:
        shutil.rmtree(folder, ignore_errors=True)


def write_tree(files: dict[str, str], out: Path) -> None:
    """Replace out with exactly files: built in a sibling temporary folder, then swapped in.

    Any failure leaves the existing output untouched: before the swap nothing under out has
    changed. On Linux the swap is one atomic step (renameat2 RENAME_EXCHANGE), so even a kill
    leaves a whole tree, old or new; elsewhere it is two renames, and a run killed between them
    is undone by the next. Folders a killed run left behind (``.<out>.new-*``, ``.<out>.old-*``)
    are removed by the next run.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent):
        _recover(out)
        mode = _folder_mode(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        try:
            _stage(files, staging)
            os.chmod(staging, mode)
            if not out.exists():
                os.replace(staging, out)
            elif _exchange(staging, out):
                shutil.rmtree(staging, ignore_errors=True)  # it now holds the old tree
            else:
                _swap_in_two_steps(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _swap_in_two_steps(staging: Path, out: Path) -> None:
    """Move out aside, then staging in; the old folder is moved back if the second step fails."""
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, backup)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)
