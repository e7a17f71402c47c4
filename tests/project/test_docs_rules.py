"""The rule tables in docs/ are rendered from jamdash/codes.py, and every code has a table row."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ROOT

from jamdash import codes

DOCS = (ROOT / "docs" / "spec.md", ROOT / "docs" / "compatibility.md", ROOT / "docs" / "check.md")
UPDATE = os.environ.get("JAMDASH_UPDATE_DOCS") == "1"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_rule_tables_match_the_registry(doc: os.PathLike[str]) -> None:
    text = open(doc, encoding="utf-8").read()
    synced = codes.sync_tables(text)
    if UPDATE and synced != text:
        open(doc, "w", encoding="utf-8").write(synced)
    assert synced == text, f"{doc}: rule tables are stale; run `make docs` (JAMDASH_UPDATE_DOCS=1 pytest tests/project)"


def test_every_section_has_a_table_in_the_docs() -> None:
    keys = set(re.findall(r"<!-- rules: ([\w-]+) -->", "".join(open(d, encoding="utf-8").read() for d in DOCS)))
    assert keys == {code.section.key for code in codes.REGISTRY.values()}


def test_a_code_is_its_id_and_survives_a_round_trip() -> None:
    import pickle

    code = codes.SERIES_BUDGET
    assert code == "series-budget" and f"[{code}]" == "[series-budget]"
    assert pickle.loads(pickle.dumps(code)) is code


def test_declaring_an_id_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        codes.Code("series-budget", codes.WAIVERS, "again")
