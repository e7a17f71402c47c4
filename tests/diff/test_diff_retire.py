"""Retiring a dashboard, a log event or a log field with `jamdash diff --base REV` in a git repository of the JAM
spec: deprecated in one commit, removed in the next, the removal is acknowledged; removed at once, or a field
changing kind, it is breaking."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import SPEC
from gitrepo import git, require_git

from jamdash.cli import cli

JAM: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
RETIRED = {"reason": "Replaced by the overview's upload panels.", "until": "2027-03-31"}
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_git()
    git(tmp_path, "init", "-q")
    save(tmp_path, JAM, "the JAM spec")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def save(repo: Path, spec: dict[str, Any], message: str | None = None) -> None:
    """Write the working spec; with a message, commit it (it becomes HEAD, the base of the next diff)."""
    (repo / "metrics_spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    if message:
        git(repo, "add", "metrics_spec.yaml")
        git(repo, "commit", "-qm", message)


def edited(spec: dict[str, Any], *edits: Edit) -> dict[str, Any]:
    out = copy.deepcopy(spec)
    for edit in edits:
        edit(out)
    return out


def diff(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["diff", "--base", "HEAD", *args])
    return result.exit_code, result.stdout, result.stderr


def deprecate(*path: str) -> Edit:
    """Set `deprecated:` on the mapping at path (a dashboard, an event or an event field)."""
    def edit(spec: dict[str, Any]) -> None:
        node = spec
        for key in path:
            node = node[key]
        node["deprecated"] = dict(RETIRED)
    return edit


def drop_preimages_board(spec: dict[str, Any]) -> None:
    """Remove the preimages dashboard and the overview panel's link to it (a link to a missing board is a lint error)."""
    del spec["dashboards"]["boards"]["preimages"]
    for panel in spec["dashboards"]["boards"]["overview"]["panels"]:
        if panel.get("link") == "preimages":
            del panel["link"]


def rekey_preimages_board(spec: dict[str, Any]) -> None:
    """Move the preimages dashboard to the key 'uploads': its uid becomes jam-uploads."""
    boards = spec["dashboards"]["boards"]
    spec["dashboards"]["boards"] = {("uploads" if k == "preimages" else k): v for k, v in boards.items()}
    for panel in spec["dashboards"]["boards"]["overview"]["panels"]:
        if panel.get("link") == "preimages":
            panel["link"] = "uploads"


def drop_field(event: str, name: str) -> Edit:
    return lambda spec: spec["telemetry"]["events"][event]["fields"].pop(name)  # type: ignore[no-any-return]


def drop_event(name: str) -> Edit:
    return lambda spec: spec["telemetry"]["events"].pop(name)  # type: ignore[no-any-return]


BOARD = ("dashboards", "boards", "preimages")
FIELD = ("telemetry", "events", "preimage_upload", "fields", "media_type")
EVENT = ("telemetry", "events", "limit_reject")
GONE_BOARD = "dashboard jam-preimages ('JAM preimages'): it is gone; links and bookmarks to /d/jam-preimages break"
ACK = f"(acknowledged: deprecated in the base: {RETIRED['reason']})"

# (what, the deprecation, the removal, the removal's message)
CASES = [
    ("dashboard", deprecate(*BOARD), drop_preimages_board, f"[compat-dashboard-removed] {GONE_BOARD}"),
    ("dashboard moved to a new key", deprecate(*BOARD), rekey_preimages_board, f"[compat-dashboard-removed] {GONE_BOARD}"),
    ("event", deprecate(*EVENT), drop_event("limit_reject"),
     "[compat-event-field-removed] log event limit_reject is no longer logged"),
    ("field", deprecate(*FIELD), drop_field("preimage_upload", "media_type"),
     "[compat-event-field-removed] field 'media_type' removed from log event preimage_upload"),
    ("field of a deprecated event", deprecate(*EVENT), drop_field("limit_reject", "limit"),
     "[compat-event-field-removed] field 'limit' removed from log event limit_reject"),
]


@pytest.mark.parametrize(("deprecation", "removal", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_removed_after_a_deprecation_is_acknowledged(repo: Path, deprecation: Edit, removal: Edit,
                                                     message: str) -> None:
    deprecated = edited(JAM, deprecation)
    save(repo, deprecated)
    code, out, err = diff()
    # (a dashboard's deprecation also warns about the overview's link to it: dashboard-link-deprecated)
    assert (code, err.splitlines()[-1]) == (0, "against HEAD: 0 breaking, 0 acknowledged, 1 safe"), out
    assert f"deprecated (Replaced by the overview's upload panels, until {RETIRED['until']})" in out
    save(repo, deprecated, "deprecate")

    save(repo, edited(deprecated, removal))
    code, out, err = diff()
    assert code == 0, out
    assert f": note: {message}" in out and ACK in out.split(message, 1)[1].splitlines()[0]
    assert "0 breaking, 1 acknowledged" in err


@pytest.mark.parametrize(("removal", "message"), [c[2:] for c in CASES[:4]], ids=[c[0] for c in CASES[:4]])
def test_removed_without_a_deprecation_in_the_base_is_breaking(repo: Path, removal: Edit, message: str) -> None:
    save(repo, edited(JAM, removal))
    code, out, err = diff()
    assert code == 1, out
    assert f": error: {message}" in out and "acknowledged" not in out
    assert err.strip().startswith("against HEAD: 1 breaking, 0 acknowledged")


def test_deprecated_in_the_working_spec_only_does_not_acknowledge_a_removal(repo: Path) -> None:
    # the deprecation has to be merged (be in the base) before the removal: readers had no warning otherwise
    save(repo, edited(JAM, deprecate(*EVENT), drop_field("preimage_upload", "media_type")))
    code, out, _ = diff()
    assert code == 1
    assert ": error: [compat-event-field-removed] field 'media_type' removed from log event preimage_upload" in out


def test_a_deprecated_field_changing_kind_stays_breaking(repo: Path) -> None:
    deprecated = edited(JAM, deprecate(*FIELD), deprecate(*EVENT))
    save(repo, deprecated, "deprecate")

    def retype(spec: dict[str, Any]) -> None:
        spec["telemetry"]["events"]["preimage_upload"]["fields"]["media_type"]["kind"] = "error_text"
        spec["telemetry"]["events"]["limit_reject"]["fields"]["limit"]["kind"] = "size"
    save(repo, edited(deprecated, retype))
    code, out, err = diff()
    assert code == 1, out
    assert ": error: [compat-event-field-removed] field 'media_type' of log event preimage_upload changed kind " \
           "from identifier to error_text" in out
    assert ": error: [compat-event-field-removed] field 'limit' of log event limit_reject changed kind " \
           "from count to size" in out
    assert err.strip() == "against HEAD: 2 breaking, 0 acknowledged, 0 safe"


def test_the_markdown_report_lists_an_acknowledged_removal(repo: Path) -> None:
    deprecated = edited(JAM, deprecate(*BOARD))
    save(repo, deprecated, "deprecate")
    save(repo, edited(deprecated, drop_preimages_board))
    code, out, _ = diff("--format", "markdown")
    assert code == 0
    assert "**No unacknowledged breaking change.**" in out
    assert (f"| acknowledged | `dashboard jam-preimages` | {GONE_BOARD} {ACK} | – | `compat-dashboard-removed` |"
            in out)
