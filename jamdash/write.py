"""write: the only code that writes files; atomic, deterministic, and a --check that writes nothing."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_DIFF_LINES = 12


@dataclass(frozen=True)
class Drift:
    """How the files on disk differ from what would be generated."""

    stale: dict[str, str]
    missing: list[str]
    extra: list[str]

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra)


def _on_disk(out: Path) -> dict[str, bytes]:
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _short_diff(path: str, old: bytes, new: str) -> str:
    lines = list(difflib.unified_diff(
        old.decode("utf-8", "replace").splitlines(), new.splitlines(),
        f"{path} (on disk)", f"{path} (generated)", lineterm="", n=1,
    ))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def compare(files: dict[str, str], out: Path) -> Drift:
    existing = _on_disk(out)
    stale = {
        path: _short_diff(path, existing[path], text)
        for path, text in files.items()
        if path in existing and existing[path] != text.encode("utf-8")
    }
    missing = [path for path in files if path not in existing]
    extra = [path for path in existing if path not in files]
    return Drift(stale, missing, extra)


def write_tree(files: dict[str, str], out: Path) -> None:
    """Replace out with exactly files: built in a sibling temporary folder, then swapped in.

    A failure before the swap leaves the existing output untouched.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            if text.startswith("#!"):
                os.chmod(target, 0o755)
        backup = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, backup)
        os.replace(staging, out)
        shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
