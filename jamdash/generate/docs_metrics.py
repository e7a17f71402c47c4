"""Generator of generated/docs/metrics.md: the operators' metric catalogue, cross-linked with runbooks.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.model import references
from jamdash.generate.header import header_text
from jamdash.generate.render import render
from jamdash.model import Model
from jamdash.model.metrics import Label, Metric
from jamdash.model.references import ALERT, DASHBOARD, Use

PATH = "docs/metrics.md"


def metric_anchor(name: str) -> str:
    """The heading anchor of a metric's section (GitHub style: metric names are already lower case)."""
    return name


def metric_link(name: str, page: str = "metrics.md") -> str:
    return f"[`{name}`]({page}#{metric_anchor(name)})"


def _label_text(label: Label) -> str:
    about = label.help.rstrip(".") + ". " if label.help else ""
    if label.closed:
        values = ", ".join(f"`{v}`" for v in label.values)
        return f"{about}Values: {values}; anything else folds into `{label.overflow}`."
    return (f"{about}Up to {label.max_values} distinct values of at most {label.max_length} characters; "
            f"the rest fold into `{label.overflow}`.")


def _dashboards(found: tuple[Use, ...]) -> list[str]:
    """One link per dashboard, naming the panels that show the metric."""
    panels: dict[tuple[str, str], list[str]] = {}
    for use in found:
        if use.kind == DASHBOARD:
            panels.setdefault((use.name, use.link), [])
            if use.detail not in panels[(use.name, use.link)]:
                panels[(use.name, use.link)].append(use.detail)
    return [f"[{title}]({link}) ({', '.join(names)})" for (title, link), names in sorted(panels.items())]


def _metric_view(metric: Metric, found: tuple[Use, ...]) -> dict[str, Any]:
    deprecation = ""
    if metric.deprecated:
        deprecation = metric.deprecated.reason
        if metric.deprecated.renamed_to:
            deprecation += f" Renamed to {metric_link(metric.deprecated.renamed_to, '')}; queries on the old " \
                           "name read the new metric through a compat recording rule"
            deprecation += f" until {metric.deprecated.until}." if metric.deprecated.until else "."
    return {
        "name": metric.name,
        "help": metric.help,
        "type": metric.type,
        "unit": metric.unit or "–",
        "budget": metric.series_budget,
        "labels": [(label.name, _label_text(label)) for label in metric.labels],
        "buckets": ", ".join(f"{b:g}" for b in metric.buckets),
        "deprecation": deprecation,
        "synthetic": metric.synthetic,
        "alerts": [f"[{u.name}]({u.link})" if u.link else u.name for u in found if u.kind == ALERT],
        "dashboards": _dashboards(found),
    }


def metrics_by_alert(model: Model) -> dict[str, list[str]]:
    """Alert name -> the metrics it reads, directly or through recording rules, for runbooks.md."""
    out: dict[str, list[str]] = {}
    for metric, found in sorted(references.uses(model).items()):
        for use in found:
            if use.kind == ALERT and metric in model.metrics_by_name:
                out.setdefault(use.name, []).append(metric)
    return out


def generate(model: Model) -> Iterator[tuple[str, str]]:
    uses = references.uses(model)
    metrics = [_metric_view(m, references.alerts_and_dashboards(uses.get(m.name, ()))) for m in model.metrics]
    yield PATH, render(
        "docs_metrics.md.j2",
        header=header_text(model.spec_path),
        service=model.service.upper(),
        spec_path=model.spec_path,
        total=model.total_series,
        max_series=model.max_series,
        has_runbooks=bool(model.rules.alerts),
        metrics=metrics,
    )
