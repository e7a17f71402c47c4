"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit against a temporary repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, require_tool
from gitrepo import git, released_clone, user_env
from test_readme_usage import blocks

from jamdash.cli import cli

HOOKS = ROOT / ".pre-commit-hooks.yaml"
README_SPEC, README_HOOKS = blocks("yaml")[:2]  # the README's "Use jamdash in your repository" spec and hooks


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of this repository with its release tag, as the README's `rev:` names it."""
    return released_clone(tmp_path_factory.mktemp("jamdash-src"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One hook environment for the module: pre-commit installs jamdash into it once, then reuses it.
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def committed_user_repo(tmp_path_factory: pytest.TempPathFactory, hook_repo: Path) -> Path:
    """Another repository that uses jamdash as the README says: its example spec, the generated
    output and a .pre-commit-config.yaml naming the hooks, all committed (each test gets a copy)."""
    repo = tmp_path_factory.mktemp("user")
    git(repo, "init", "-q")
    (repo / "metrics_spec.yaml").write_text(README_SPEC, encoding="utf-8")
    # The README's configuration as written (its `rev:` is the release tag), from the local clone.
    config = yaml.safe_load(README_HOOKS)
    config["repos"][0]["repo"] = str(hook_repo)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = CliRunner().invoke(cli, ["-q", "generate"])
    assert result.exit_code == 0, result.output
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "spec")
    return repo


@pytest.fixture
def user_repo(tmp_path: Path, committed_user_repo: Path) -> Path:
    """This test's own copy of the committed user repository, to change as it likes."""
    require_tool("promtool")  # the lint hook runs it, from PATH
    return Path(shutil.copytree(committed_user_repo, tmp_path / "user", symlinks=True))


def pre_commit(user: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pre-commit as a user runs it. With one PRE_COMMIT_HOME per module, jamdash is installed
    into the hook environment once (from the hook repository, dependencies from the package index);
    pip writes no bytecode there, the hooks' first run writes what they import."""
    env = user_env(PRE_COMMIT_HOME=str(home), NO_COLOR="1", PIP_COMPILE="0", PIP_DISABLE_PIP_VERSION_CHECK="1",
                   VIRTUALENV_NO_PERIODIC_UPDATE="1")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=user, env=env, capture_output=True, text=True, timeout=300,
    )


def test_hook_definitions_are_what_other_repositories_expect() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"jamdash-generate-check", "jamdash-lint"}
    assert hooks["jamdash-generate-check"]["entry"] == "jamdash generate --check"
    assert hooks["jamdash-lint"]["entry"] == "jamdash lint"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False


@pytest.mark.slow
def test_both_hooks_pass_on_an_up_to_date_repository(user_repo: Path, pre_commit_home: Path) -> None:
    result = pre_commit(user_repo, pre_commit_home, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "jamdash generate --check" in result.stdout and "jamdash lint" in result.stdout
    assert result.stdout.count("Passed") == 2, result.stdout


def test_generate_check_hook_fails_on_stale_output(user_repo: Path, pre_commit_home: Path) -> None:
    module = user_repo / "generated" / "python" / "shop_metrics.py"
    module.write_text(module.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    result = pre_commit(user_repo, pre_commit_home, "run", "jamdash-generate-check", "--all-files")
    assert result.returncode == 1
    assert "stale: generated/python/shop_metrics.py" in result.stdout
    assert "+# edited by hand" not in result.stdout and "-# edited by hand" in result.stdout


def test_lint_hook_reports_findings_with_positions(user_repo: Path, pre_commit_home: Path) -> None:
    spec = user_repo / "metrics_spec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("shop_orders_total:", "shop_orders_count:"),
                    encoding="utf-8")
    result = pre_commit(user_repo, pre_commit_home, "run", "jamdash-lint", "--all-files")
    assert result.returncode == 1
    assert "metrics_spec.yaml:" in result.stdout and "[counter-total-suffix]" in result.stdout


def test_hooks_skip_commits_that_touch_neither_spec_nor_output(user_repo: Path, pre_commit_home: Path) -> None:
    (user_repo / "app.py").write_text("print('hello')\n", encoding="utf-8")
    result = pre_commit(user_repo, pre_commit_home, "run", "--files", "app.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("(no files to check)Skipped") == 2, result.stdout
