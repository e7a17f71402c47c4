"""docs/spec.md documents every spec field and every rule id, and its example lints clean.

A section may be documented on its own page (docs/<section>.md) linked from docs/spec.md; the
fields and rule ids on linked pages count as documented.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from jamdash import codes
from jamdash.pipeline import build
from jamdash.spec.json_schema import json_schema

DOC = ROOT / "docs" / "spec.md"
RULE_IDS = tuple(codes.REGISTRY)


# The pages and the schema are read once per module: every parametrized case below looks into the same text.
@cache
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def docs() -> str:
    """docs/spec.md and every page below docs/ that it links to."""
    linked = sorted(set(re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]*)?\)", doc())))
    pages = [DOC, *((DOC.parent / link).resolve() for link in linked)]
    return "\n".join(p.read_text(encoding="utf-8") for p in pages if p.is_file() and DOC.parent in p.parents)


@cache
def table_names(text: str) -> frozenset[str]:
    """The `name`s in the first cell of table rows (a row may document several: | `a`, `b` | ...)."""
    cells = re.findall(r"^\|([^|\n]*)\|", text, flags=re.M)
    return frozenset(name for cell in cells for name in re.findall(r"`([^`]+)`", cell))


@cache
def mentioned(text: str) -> frozenset[str]:
    """Every `name` in backticks."""
    return frozenset(re.findall(r"`([^`\n]+)`", text))


@cache
def schema_objects() -> dict[str, dict[str, Any]]:
    schema = json.loads(json_schema())
    return {"the spec": schema, **schema["$defs"]}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_rule_id_is_documented(rule: str) -> None:
    documented = table_names(doc().split("## Lint rules", 1)[1]) | mentioned(docs())
    assert rule in documented, (f"document `{rule}` in the rule tables of docs/spec.md, or on the section's page "
                                "linked from it")


def test_the_rule_tables_list_no_unknown_rule() -> None:
    rules_section = doc().split("## Lint rules", 1)[1].split("\n## ", 1)[0]
    assert table_names(rules_section) - set(RULE_IDS) == set()


@pytest.mark.parametrize("model", sorted(schema_objects()))
def test_every_schema_field_is_documented_and_described(model: str) -> None:
    properties = schema_objects()[model]["properties"]
    missing = sorted(set(properties) - table_names(docs()))
    assert missing == [], (f"{model}: document these fields in a table row (| `field` | ...) in docs/spec.md "
                           "or on the section's page linked from it")
    undescribed = sorted(name for name, prop in properties.items() if not prop.get("description"))
    assert undescribed == [], f"{model}: give these fields a Field(description=...) for editors"


def test_the_example_lints_clean(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(.*?)```", doc(), flags=re.S)
    assert example
    path = tmp_path / "metrics_spec.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    result = build(str(path))
    assert result.findings == [] and result.model is not None
