"""How `jamdash diff` prints changes: text for people, markdown for a pull-request comment, github annotations."""

from __future__ import annotations

from jamdash.diff.change import ACKNOWLEDGED, BREAKING_STATUS, SAFE, Change
from jamdash.findings import display_path, format_github, format_text

ORDER = {BREAKING_STATUS: 0, ACKNOWLEDGED: 1, SAFE: 2}
HOW_TO = ("Keep a renamed metric in the spec with `deprecated: {reason: ..., renamed_to: NEW}`; jamdash then "
          "records the old name from the new one. Accept another change to a metric with a waiver naming "
          "the change id. A metric, dashboard, log event or event field is removed safely once it was "
          "deprecated in the base.")


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (ORDER[c.status], c.subject, c.kind, c.message))


def summary(changes: list[Change], base: str) -> str:
    counts = {status: sum(c.status == status for c in changes) for status in ORDER}
    if not changes:
        return f"no changes against {base} (metrics, rules, SLOs, dashboards, log events)"
    return (f"against {base}: {counts[BREAKING_STATUS]} breaking, {counts[ACKNOWLEDGED]} acknowledged, "
            f"{counts[SAFE]} safe")


def _detail(change: Change) -> str:
    extra = f" (acknowledged: {change.acknowledged})" if change.acknowledged else ""
    return change.message + extra


def text(changes: list[Change], spec: str) -> str:
    lines = []
    for change in ordered(changes):
        finding = change.finding(spec)._replace(message=_detail(change))
        lines.append(format_text([finding]))
        if change.affects:
            lines.append(f"  affects: {', '.join(change.affects)}\n")
    return "".join(lines)


def github(changes: list[Change], spec: str) -> str:
    return format_github(change.finding(spec)._replace(message=_detail(change)) for change in ordered(changes))


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(changes: list[Change], spec: str, base: str) -> str:
    """A pull-request comment: a headline, then one table row per change."""
    blocking = sum(c.status == BREAKING_STATUS for c in changes)
    head = f"### jamdash diff: `{display_path(spec)}` against `{base}`\n\n"
    if not changes:
        return head + "No changes to metrics, alerts, recorded series, SLOs, dashboards or log events.\n"
    verdict = (f"**{blocking} breaking change{'s' if blocking != 1 else ''}**: dashboards, alerts or other "
               "consumers of these metrics, recorded series, dashboards or log events break." if blocking else "**No unacknowledged breaking change.**")
    rows = [
        f"| {'**breaking**' if c.status == BREAKING_STATUS else c.status} | `{c.subject}` | {_cell(_detail(c))} | "
        f"{_cell(', '.join(c.affects)) or '–'} | `{c.kind}` |"
        for c in ordered(changes)
    ]
    table = "| status | subject | change | affects | id |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    hint = f"\n{HOW_TO}\n" if blocking else ""
    counts = summary(changes, f"`{base}`")
    return f"{head}{verdict} {counts[0].upper()}{counts[1:]}.\n\n{table}{hint}"
