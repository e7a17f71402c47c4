"""The GitHub workflow is valid and runs the same make targets as .ci/run, in the same order."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"
# Variables the workflow may add to a make call: they change how results print, not what runs.
PRESENTATION_VARS = {"LINT_FORMAT": {"github"}}
FULL_TAG = re.compile(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$")


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _make_calls(commands: list[str]) -> list[tuple[str, dict[str, str]]]:
    """(target, variables) of every `make` command, in order."""
    calls = []
    for command in commands:
        for line in command.splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words = list(lexer)
            for i, word in enumerate(words):  # the make call ends at a pipe, ; or &&
                if word in {"|", ";", "&&", "||"}:
                    words = words[:i]
                    break
            if not words or words[0] != "make":
                continue
            args = [w for w in words[1:] if not w.startswith("-")]
            targets = [a for a in args if "=" not in a]
            variables = dict(a.split("=", 1) for a in args if "=" in a)
            assert len(targets) == 1, f"one target per make call: {line!r}"
            calls.append((targets[0], variables))
    return calls


def _ci_job_runs() -> list[str]:
    return [step["run"] for step in _workflow()["jobs"]["ci"]["steps"] if "run" in step]


def test_workflow_is_valid_yaml_with_triggers_jobs_and_steps() -> None:
    data = _workflow()
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = data.get("on", data.get(True))
    assert set(triggers) == {"push", "pull_request"}
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        assert job["runs-on"].startswith("ubuntu-"), name
        assert job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: a step either uses an action or runs"


def test_ci_job_runs_the_same_make_targets_as_ci_run_in_order() -> None:
    ci_run = [line for line in CI_RUN.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    local = _make_calls(ci_run)
    assert [t for t, _ in local] == ["test", "check"]
    workflow = [(t, v) for t, v in _make_calls(_ci_job_runs())]
    # The runner's user is not root: system packages are installed first with sudo, which
    # `make test` would otherwise do itself (it depends on system-deps).
    sudo = [run for run in _ci_job_runs() if run.startswith("sudo ")]
    assert sudo == ["sudo make system-deps"]
    assert [t for t, _ in workflow] == [t for t, _ in local]
    for target, variables in workflow:
        for key, value in variables.items():
            assert value in PRESENTATION_VARS.get(key, set()), f"make {target}: {key}={value} changes what runs"
    assert workflow[-1] == ("check", {"LINT_FORMAT": "github"})


def test_make_check_runs_generate_check_then_lint_with_the_format() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()[1:]]
    assert lines[:2] == ["$(JAMDASH) generate --check", "$(JAMDASH) lint --format $(or $(LINT_FORMAT),text)"]
    # then the same two for every example spec, each with its own output folder
    loop = "\n".join(lines[2:])
    assert "for example in $(EXAMPLES)" in loop
    assert "$(JAMDASH) generate --check --spec $$example/metrics_spec.yaml --out $$example/generated" in loop
    assert "$(JAMDASH) lint --format $(or $(LINT_FORMAT),text) --spec $$example/metrics_spec.yaml" in loop
    examples = makefile.split("EXAMPLES := ", 1)[1].split("\n", 1)[0].split()
    assert examples and all((ROOT / e / "metrics_spec.yaml").is_file() for e in examples)


def test_ci_job_requires_the_tools_like_ci_run() -> None:
    assert _workflow()["jobs"]["ci"]["env"]["JAMDASH_REQUIRE_TOOLS"] == "1"
    assert "export JAMDASH_REQUIRE_TOOLS=1" in CI_RUN.read_text(encoding="utf-8")


def test_actions_are_pinned_to_full_versions_and_pip_is_cached() -> None:
    for name, job in _workflow()["jobs"].items():
        uses = [step for step in job["steps"] if "uses" in step]
        assert uses, name
        for step in uses:
            assert FULL_TAG.match(step["uses"]), f"{name}: pin {step['uses']} to a full vX.Y.Z tag"
        python = [s for s in uses if s["uses"].startswith("actions/setup-python@")]
        assert python and python[0]["with"]["cache"] == "pip", name
        assert python[0]["with"]["python-version"] == "3.11"


def test_compat_job_runs_only_on_pull_requests_and_fails_on_breaking_changes() -> None:
    job = _workflow()["jobs"]["compat"]
    assert job["if"] == "github.event_name == 'pull_request'"
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to diff against
    step = job["steps"][-1]
    # bash from `shell: bash` runs with -o pipefail, so `| tee` keeps make's exit status.
    assert step["shell"] == "bash"
    assert _make_calls([step["run"]]) == [("diff", {"BASE": "$BASE", "DIFF_FORMAT": "markdown"})]
    assert "${{" not in step["run"], "pass expressions through env, not into the script"


def test_workflow_matches_githubs_workflow_schema() -> None:
    # check-jsonschema ships a copy of SchemaStore's GitHub workflow schema: no network needed.
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
