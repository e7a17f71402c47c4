"""Golden cases: folders under tests/golden/<kind>/<case>/ and how to refresh them.

Run `JAMDASH_UPDATE_GOLDEN=1 pytest tests -k golden` to rewrite the expectations from the
current code, then review the diff with `git diff tests/golden` before committing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from jamdash.write import compare, write_tree

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("JAMDASH_UPDATE_GOLDEN") == "1"
HOW_TO_UPDATE = ("if the change is intended, run `JAMDASH_UPDATE_GOLDEN=1 pytest tests -k golden` "
                 "and review `git diff tests/golden`")


def cases(kind: str) -> list[Path]:
    """Every case folder of kind, sorted; each must explain its intent in README.md."""
    found = sorted(p for p in (GOLDEN / kind).iterdir() if p.is_dir())
    assert found, f"no golden cases under {GOLDEN / kind}"
    return found


def assert_tree(files: Mapping[str, str], expected: Path, what: str) -> None:
    """files are exactly the tree under expected (rewritten first when updating); what names them in the failure."""
    if UPDATE:
        write_tree(files, expected)
    drift = compare(files, expected)
    report = "\n".join(f"{path}:\n{diff}" for path, diff in drift.diffs.items())
    assert drift.clean, f"{expected.parent.name}: {what} changed; {HOW_TO_UPDATE}\n{report}"
