"""check, dashboards: lint the generated dashboards and report metric coverage, at spec positions."""

from __future__ import annotations

import json
from collections.abc import Mapping

from jamdash import codes
from jamdash.check import coverage
from jamdash.check.dashboard_rules import Issue, lint_dashboard
from jamdash.findings import WARNING, Finding, Position
from jamdash.model import Model


def _finding(model: Model, pos: Position, where: str, issue: Issue) -> Finding:
    return Finding.at(model.source.path, pos, issue.rule, f"{where}: {issue.message}", issue.severity)


def dashboard_findings(model: Model, files: Mapping[str, str]) -> list[Finding]:
    """The dashboard-linter rules over each generated dashboard, each finding at its panel in the spec."""
    if model.dashboards is None:
        return []
    _, undeclared = coverage.usage(model, files)
    out: list[Finding] = []
    for board in model.dashboards.boards:
        path = f"{coverage.DASHBOARDS_DIR}{board.uid}.json"
        if path not in files:
            continue
        d = json.loads(files[path])
        ids = {p.get("id"): p.get("title", "") for p in d.get("panels", [])}
        positions = {i: panel.position for i, panel in enumerate(board.panels, start=1)}
        for issue in lint_dashboard(d) + undeclared.get(path, []):
            if issue.panel is None:
                out.append(_finding(model, board.position, f"dashboard '{board.title}'", issue))
            else:
                where = f"dashboard '{board.title}', panel '{ids.get(issue.panel, issue.panel)}'"
                out.append(_finding(model, positions.get(issue.panel, board.position), where, issue))
    return out


def coverage_findings(model: Model, files: Mapping[str, str]) -> list[Finding]:
    """Every spec metric on a dashboard or in a rule, or exempted by a metric-coverage waiver with a reason.

    Only for a spec that declares dashboards: without any, every metric would be reported."""
    if model.dashboards is None:
        return []
    used, _ = coverage.usage(model, files)
    out = [Finding.at(model.source.path, model.metric(name).position, coverage.RULE_COVERAGE,
                      f"'{name}' is on no dashboard and in no alert or recording rule; add a panel, or waive "
                      f"'{coverage.RULE_COVERAGE}' on the metric with the reason nobody needs to see it")
           for name in coverage.uncovered(model, used)]
    out += [Finding.at(model.source.path, m.position, codes.WAIVER_UNUSED,
                       f"'{m.name}' waives '{coverage.RULE_COVERAGE}' but {sorted(used[m.name])[0]} shows it: "
                       "remove the waiver", WARNING)
            for m in model.metrics if coverage.RULE_COVERAGE in m.waived and m.name in used]
    return out


def coverage_summary(model: Model, files: Mapping[str, str]) -> str:
    used, _ = coverage.usage(model, files)
    return coverage.summary(model, used)


def check(model: Model, files: Mapping[str, str]) -> list[Finding]:
    return dashboard_findings(model, files) + coverage_findings(model, files)

