"""The stages in order: load → lint → resolve; callers then generate, write or check."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamdash.findings import Finding, has_errors
from jamdash.lint import lint
from jamdash.load.spec_file import load
from jamdash.model import Model
from jamdash.promql.rules_check import check_rules
from jamdash.resolve import resolve


@dataclass
class Build:
    """The outcome of reading a spec: a model when the spec has no errors, and all findings."""

    model: Model | None
    findings: list[Finding] = field(default_factory=list)


def build(spec_path: str) -> Build:
    """Load, lint and resolve; every problem of every stage that could run is reported together."""
    doc, spec, findings = load(spec_path)
    if spec is None or doc is None:
        return Build(None, findings)
    findings = findings + lint(spec, doc.source, doc.dropped)
    if has_errors(findings):
        return Build(None, findings)
    model = resolve(spec, doc.source)
    findings += check_rules(model)
    if has_errors(findings):
        return Build(None, findings)
    return Build(model, findings)
