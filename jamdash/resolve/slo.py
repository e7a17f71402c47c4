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
    keep = recorder.keep(by)
    alerting = spec.alerting
    alerts = []
    for kind in ALERT_KINDS:
        settings = raw.page if kind == "page" else raw.ticket
        name = alert_name(spec.service, raw, kind)
        # One rule per window pair, all under the alert's name: each description names only the
        # windows of the condition that fired, and $value is that condition's long-window ratio.
        for w in (w for w in windows if w.alert == kind):
            long = recorder.ratio(raw.errors, raw.total, by, w.long, position)
            short = recorder.ratio(raw.errors, raw.total, by, w.short, position)
            threshold = q.number(w.threshold)
            annotations = {
                "summary": raw.summary.strip(),
                "description": conventions.in_cluster(
                    f"The {raw.name} error ratio over the last {w.long} is {{{{ $value | humanizePercentage }}}}, "
                    f"and above {_percent(w.threshold)} over the last {w.short} too: the {raw.period} error budget "
                    f"of a {raw.objective * 100:g}% objective is burning at least {w.factor:g}× too fast.",
                    recorder.cluster, keep),
                "runbook_url": conventions.runbook_url(alerting.runbook_url if alerting else "", name),
            }
            if raw.dashboard:
                annotations["dashboard_url"] = (alerting.grafana_url.rstrip("/") if alerting else "") + \
                    conventions.dashboard_path(raw.dashboard, spec.service)
            labels = {"severity": settings.severity, "slo": raw.name, conventions.LONG_WINDOW_LABEL: w.long,
                      conventions.SHORT_WINDOW_LABEL: w.short}
            alerts.append(Alert(
                name=name, group=group, expr=f"{long} > {threshold} and {q.on(keep)} {short} > {threshold}",
                for_=settings.for_, severity=settings.severity, labels=tuple(sorted(labels.items())),
                annotations=tuple(sorted(annotations.items())), output_labels=keep,
                intent=Intent("slo", by, window=w.long, above=w.threshold, errors=Sel(raw.errors),
                              total=Sel(raw.total)),
                summary=annotations["summary"], dashboard=raw.dashboard, runbook=raw.runbook.strip(),
                position=position, expr_position=position, slo=slo, burn=w,
            ))
    return slo, alerts


def _percent(share: float) -> str:
    """A threshold share as humanizePercentage prints it (4 significant digits)."""
    return f"{share * 100:.4g}%"
