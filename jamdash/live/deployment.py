"""What a running Prometheus holds of the service: its rule groups, its series and its active alerts."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamdash.findings import Finding
from jamdash.live import alerts, groups, series
from jamdash.live.prometheus_api import PrometheusApi
from jamdash.model import Model


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    largest: list[str] = field(default_factory=list)  # one line per metric, most series first


def matchers(job: str, extra: str = "") -> str:
    """The label matchers every series query uses: the job, then the caller's own (e.g. cluster="eu1")."""
    job_matcher = 'job="{}"'.format(job.replace("\\", "\\\\").replace('"', '\\"'))
    return ", ".join(part for part in (job_matcher, extra.strip().strip(",").strip()) if part)


def check(model: Model, api: PrometheusApi, job: str, extra_matchers: str = "") -> Report:
    chosen = matchers(job, extra_matchers)
    report = Report(groups.check(model, api.rule_groups()))
    found, report.largest = series.check(model, api, chosen)
    report.findings += found
    report.findings += alerts.check(model, api.alerts(), job)
    return report
