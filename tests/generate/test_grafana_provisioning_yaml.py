"""The ConfigMap's hand-written literal block is byte for byte what PyYAML writes, or is not used."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from jamdash.generate import grafana_provisioning

LINES = st.lists(st.text(alphabet=list('{}[]":, -#|>abcé—\t\u2028'), max_size=12),
                 min_size=1, max_size=8)


def pyyaml(text: str) -> str:
    return str(yaml.dump({"data": {"board.json": text}}, Dumper=grafana_provisioning._Dumper, sort_keys=False,
                         allow_unicode=True, width=120))


@given(LINES, st.sampled_from(["", "\n", "\n\n"]))
def test_literal_entry_matches_pyyaml_or_declines(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    entry = grafana_provisioning._literal_entry("board.json", text)
    if entry is not None:
        assert "data:\n" + entry == pyyaml(text)


def test_dashboard_json_takes_the_fast_path() -> None:
    text = '{\n  "title": "JAM — overview",\n  "panels": []\n}'
    assert grafana_provisioning._literal_entry("jam-overview.json", text) == "  jam-overview.json: |-\n" + "".join(
        f"    {line}\n" for line in text.splitlines())
