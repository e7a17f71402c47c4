"""README's "Use jamdash in your repository": its spec, hooks and CI step work as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, require_tool

from jamdash.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Use jamdash in your repository", 1)[1].split("\n## ", 1)[0]


def blocks(lang: str) -> list[str]:
    return [textwrap.dedent(b) for b in re.findall(rf"```{lang}\n(.*?)```", SECTION, flags=re.S)]


def test_the_readme_spec_generates_and_lints_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("promtool")  # jamdash lint runs it on the generated rules
    spec, *_ = blocks("yaml")
    (tmp_path / "metrics_spec.yaml").write_text(spec, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["generate"]).exit_code == 0
    assert (tmp_path / "generated" / "python" / "shop_metrics.py").is_file()
    for args in (["generate", "--check"], ["lint", "--format", "github"]):
        result = runner.invoke(cli, args)
        assert (result.exit_code, result.stdout) == (0, ""), args


def test_the_readme_hooks_are_the_hooks_this_repository_defines() -> None:
    config = yaml.safe_load(blocks("yaml")[1])
    named = [hook["id"] for hook in config["repos"][0]["hooks"]]
    defined = [hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))]
    assert named == defined


def test_the_readme_ci_step_runs_the_checks_with_this_repositorys_pinned_actions() -> None:
    steps = yaml.safe_load(blocks("yaml")[2])
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[2:] == ["jamdash generate --check", "jamdash lint --format github",
                        'jamdash diff --base "$BASE" --format markdown | tee -a "$GITHUB_STEP_SUMMARY"']
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for step in steps:
        if "uses" in step:
            assert f"uses: {step['uses']}" in workflow
