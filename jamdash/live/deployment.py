"""What a running Prometheus holds of the service: its rule groups, its series and its active alerts."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamdash.findings import Finding
from jamdash.live import alerts, groups, series
from jamdash.live.prometheus_api import PrometheusApi
from jamdash.model import Model
from jamdash.model.deployment import Matcher
from jamdash.promql.build import target_matcher


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    largest: list[str] = field(default_factory=list)  # one line per metric, most series first


def targets(model: Model, job: str | None) -> tuple[Matcher, ...]:
    """The service's targets: job="<job>" when one is given, else the spec's deployment selector."""
    return (Matcher("job", "=", job),) if job is not None else model.deployment.selector


def matchers(target: tuple[Matcher, ...], extra: str = "") -> str:
    """The label matchers every series query uses: the targets', then the caller's own (e.g. cluster="eu1")."""
    return ", ".join(part for part in (*(target_matcher(m) for m in target), extra.strip().strip(",").strip()) if part)


def check(model: Model, api: PrometheusApi, job: str | None, extra_matchers: str = "") -> Report:
    target = targets(model, job)
    chosen = matchers(target, extra_matchers)
    report = Report(groups.check(model, api.rule_groups()))
    found, report.largest = series.check(model, api, chosen)
    report.findings += found
    report.findings += alerts.check(model, api.alerts(), target)
    return report
