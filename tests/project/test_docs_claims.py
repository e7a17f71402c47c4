"""What README.md and docs/ say matches what jamdash does (issue 15 item 10): the options of each
command, the rule files, the annotation placeholders, the SLO alert names, and links inside the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import yaml
from conftest import GENERATED, ROOT
from speckit import write_spec

from jamdash.cli import COMMANDS, cli
from jamdash.service.demo_output import scrape_config
from jamdash.pipeline import build
from jamdash.resolve.slo import alert_name
from jamdash.spec.alerts import SloSpec
from jamdash.spec.fields import fields_of

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
RULE_FILES = sorted(p.name for p in (GENERATED / "prometheus").glob("*.rules.yaml"))


def test_the_readme_names_the_commands_that_take_spec() -> None:
    claim = re.search(r"\n(.*?) take `--spec PATH`", README)
    assert claim, "README.md says which commands take --spec"
    said = set(re.findall(r"`(\w+)`", claim[1]))
    context = click.Context(cli)
    commands = {name: cli.get_command(context, name) for name in COMMANDS}
    assert said == {name for name, command in commands.items()
                    if command is not None and any(p.name == "spec" for p in command.params)}


def test_every_rule_file_is_listed_where_rule_files_are_loaded() -> None:
    assert RULE_FILES == ["jam_alerts.rules.yaml", "jam_compat.rules.yaml", "jam_recording.rules.yaml"]
    row = next(line for line in README.splitlines() if "load all three with `rule_files:`" in line)
    assert sorted(re.findall(r"(\w+\.rules\.yaml)", row)) == RULE_FILES
    block = re.search(r"rule_files:.*?\n((?:- .*\n)+)", DOCS["service.md"])
    assert block and sorted(Path(line[2:].strip()).name for line in block[1].splitlines()) == RULE_FILES
    printed = yaml.safe_load(scrape_config("http://127.0.0.1:8080"))["rule_files"]  # what `jamdash demo` prints
    assert sorted(Path(p).name for p in printed) == RULE_FILES


PLACEHOLDER_SPEC = """\
version: 1
service: jam
max_series: 100
labels:
  store: {help: The store., values: [memory, postgres]}
metrics:
  jam_jobs_total: {type: counter, help: Jobs., labels: [store]}
  jam_job_failures_total: {type: counter, help: Failed jobs., labels: [store]}
  jam_job_seconds: {type: histogram, unit: seconds, help: Job time., labels: [store], buckets: [1, 2.5, 5]}
alerting:
  runbook_url: https://example.org/runbooks#{anchor}
alerts:
  JamJobsSlow:
    severity: warning
    for: 10m
    summary: Slow.
    description: "window={window} above={above} above_duration={above_duration} for={for} min_rate={min_rate} quantile={quantile} percentile={percentile} job={job} selector={selector} severity={severity}"
    quantile: {histogram: jam_job_seconds, quantile: 0.99, window: 5m, above: 2.5, min_rate: 0.05}
  JamJobsFailing:
    severity: warning
    for: 5m
    summary: Failing.
    description: "above_percent={above_percent}"
    ratio: {errors: jam_job_failures_total, total: jam_jobs_total, window: 5m, above: 0.05, min_total_rate: 1}
"""


def test_the_placeholder_table_shows_what_each_placeholder_writes(tmp_path: Path) -> None:
    table = DOCS["spec.md"].split("<!-- placeholders -->", 1)[1].split("<!-- /placeholders -->", 1)[0]
    documented = dict(re.findall(r"^\| `\{(\w+)\}` \| `([^`]*)` \|", table, flags=re.M))
    model = build(str(write_spec(tmp_path, PLACEHOLDER_SPEC))).model
    assert model is not None
    rendered = " ".join(a.annotation_dict["description"] for a in model.rules.alerts)
    written = dict(re.findall(r"(\w+)=(\S+)", rendered))
    assert written == documented
    assert "percentile=p99" in rendered and "pp99" not in rendered


def test_the_slo_alert_names_in_the_schema_are_the_generated_ones() -> None:
    description = fields_of(SloSpec)["name"].description or ""
    slo = SloSpec(name="Checkout", objective=0.99, errors="a", total="b", summary="S.")
    for kind in ("page", "ticket"):
        assert alert_name("shop", slo, kind).replace("Shop", "<Service>", 1).replace("Checkout", "<name>") in description
    schema = json.loads((GENERATED / "schema" / "metrics_spec.schema.json").read_text(encoding="utf-8"))
    assert description in json.dumps(schema)


def test_links_and_paths_in_the_docs_stay_inside_the_repository() -> None:
    # a clone has no ../shared/: the operators' plan lives in docs/
    for name, text in [("README.md", README), *((f"docs/{n}", t) for n, t in DOCS.items()),
                       ("metrics_spec.yaml", (ROOT / "metrics_spec.yaml").read_text(encoding="utf-8"))]:
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+)", text) + re.findall(r"[`\s](\.\./[^`\s)]+)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (base / target).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{name} links to {target}"
