"""resolve (SLO): multi-window, multi-burn-rate alerts, with windows and factors derived from the period."""

from __future__ import annotations

from fractions import Fraction

from jamdash import conventions
from jamdash.findings import Position
from jamdash.promql import build as q
from jamdash.resolve.recorder import Recorder
from jamdash.model.rules import Alert, BurnWindow, Intent, Sel, Slo
from jamdash.spec import Spec
from jamdash.spec.alerts import BurnWindow as BurnWindowSpec
from jamdash.spec.alerts import SloSpec
from jamdash.spec.common import duration_ms, format_duration

ALERT_KINDS = ("page", "ticket")


def burn_window(raw: BurnWindowSpec, period_ms: int, objective: float) -> BurnWindow:
    """Long window = period / divisor; factor = budget share × divisor (2% of 30d in 1h = 14.4×)."""
    long_ms = Fraction(period_ms, raw.period_divisor)
    short_ms = long_ms / raw.short_divisor
    factor = Fraction(str(raw.budget_consumed)) * raw.period_divisor
    threshold = factor * (1 - Fraction(str(objective)))
    return BurnWindow(raw.alert, format_duration(int(long_ms)), format_duration(int(short_ms)),
                      float(factor), float(threshold))


def alert_name(service: str, slo: SloSpec, kind: str) -> str:
    return conventions.slo_alert(service, slo.name, kind)


def resolve_slo(raw: SloSpec, spec: Spec, position: Position, by: tuple[str, ...],
                recorder: Recorder) -> tuple[Slo, list[Alert]]:
    period_ms = duration_ms(raw.period)
    windows = tuple(burn_window(w, period_ms, raw.objective) for w in raw.windows)
    slo = Slo(raw.name, raw.objective, raw.period, raw.errors, raw.total, by, windows, position)
    group = conventions.rule_group(spec.service, f"slo.{conventions.slug(raw.name)}")
    keep = conventions.aggregation_labels(by)
    alerting = spec.alerting
    alerts = []
    for kind in ALERT_KINDS:
        mine = [w for w in windows if w.alert == kind]
        if not mine:
            continue
        conditions = []
        for w in mine:
            long = recorder.ratio(raw.errors, raw.total, by, w.long, position)
            short = recorder.ratio(raw.errors, raw.total, by, w.short, position)
            conditions.append(f"({long} > {q.number(w.threshold)} and {q.on(keep)} {short} > {q.number(w.threshold)})")
        settings = raw.page if kind == "page" else raw.ticket
        name = alert_name(spec.service, raw, kind)
        burns = ", ".join(f"{w.factor:g}× over {w.long} and {w.short}" for w in mine)
        annotations = {
            "summary": raw.summary.strip(),
            "description": (f"The {raw.name} error ratio over the last {mine[0].long} is "
                            "{{ $value | humanizePercentage }}: the " + raw.period + " error budget of a "
                            f"{raw.objective * 100:g}% objective is burning too fast ({burns})."),
            "runbook_url": conventions.runbook_url(alerting.runbook_url if alerting else "", name),
        }
        if raw.dashboard:
            annotations["dashboard_url"] = (alerting.grafana_url.rstrip("/") if alerting else "") + \
                conventions.dashboard_path(raw.dashboard, spec.service)
        alerts.append(Alert(
            name=name, group=group, expr=" or ".join(conditions), for_=settings.for_, severity=settings.severity,
            labels=tuple(sorted({"severity": settings.severity, "slo": raw.name}.items())),
            annotations=tuple(sorted(annotations.items())), output_labels=keep,
            intent=Intent("slo", by, errors=Sel(raw.errors), total=Sel(raw.total)),
            summary=annotations["summary"], dashboard=raw.dashboard, runbook=raw.runbook.strip(), position=position, expr_position=position,
            slo=slo,
        ))
    return slo, alerts
