"""resolve (routing): the Alertmanager route subtree, receivers and inhibit rules of the spec's alerts."""

from __future__ import annotations

from collections.abc import Sequence

from jamdash.model.deployment import Deployment, Matcher
from jamdash.model.routing import Inhibit, Routing
from jamdash.model.rules import Alert
from jamdash.spec.alerts import AlertingSpec

SEVERITIES = ("critical", "warning", "info")


def default_receivers(service: str) -> dict[str, str]:
    """critical pages, warning opens a ticket; info notifies nobody."""
    return {"critical": f"{service}-page", "warning": f"{service}-ticket"}


def silent_receiver(service: str) -> str:
    return f"{service}-none"


def service_matchers(target: Deployment) -> tuple[Matcher, ...]:
    """What tells the service's alerts apart in Alertmanager: the selector's job matchers (aggregations
    keep job, not every target label)."""
    return tuple(m for m in target.selector if m.label == "job") or (Matcher("job", "=", target.job),)


def resolve_routing(alerting: AlertingSpec | None, service: str, target: Deployment, alerts: Sequence[Alert],
                    cluster_label: str | None = None) -> Routing:
    named: dict[str, str] = default_receivers(service)
    if alerting and alerting.receivers:
        named = {str(severity): name for severity, name in alerting.receivers.items()}
    silent = silent_receiver(service)
    receivers = tuple((severity, named.get(severity, silent)) for severity in SEVERITIES)
    equal = ("job", *((cluster_label,) if cluster_label else ()))
    matchers = service_matchers(target)
    return Routing(
        matchers=matchers,
        group_by=("alertname", *((cluster_label,) if cluster_label else ()), "job"),
        receivers=receivers, silent=silent, inhibits=tuple(_inhibits(matchers, alerts, equal)),
    )


def _names(alerts: Sequence[Alert]) -> list[str]:
    return sorted({a.name for a in alerts})


def _inhibits(service: tuple[Matcher, ...], alerts: Sequence[Alert], equal: tuple[str, ...]) -> list[Inhibit]:
    down = _names([a for a in alerts if a.intent.kind == "target_down"])
    absent = _names([a for a in alerts if a.intent.kind == "absent"])
    # A target that cannot be scraped explains every other alert of its job.
    out = [Inhibit((Matcher("alertname", "=", name), *service), (*service, Matcher("alertname", "!=", name)), equal)
           for name in down]
    # Without the job's metrics its other alerts say nothing; a down target explains this one too.
    out += [Inhibit((Matcher("alertname", "=", name), *service),
                    (*service, Matcher("alertname", "!~", "|".join(sorted({name, *down})))), equal)
            for name in absent]
    for slo in sorted({a.slo for a in alerts if a.slo}, key=lambda s: s.name):
        mine = [a for a in alerts if a.slo == slo]
        pages = _names([a for a in mine if a.burn and a.burn.alert == "page"])
        tickets = _names([a for a in mine if a.burn and a.burn.alert == "ticket"])
        plain = _names([a for a in alerts if a.intent.kind == "ratio" and a.intent.errors and a.intent.total
                        and a.intent.errors == slo.errors and a.intent.total == slo.total])
        for page in pages:
            targets = sorted({*tickets, *plain})
            if targets:
                # The SLO's page says what its ticket and the plain failure-rate alert of the same signal say.
                out.append(Inhibit((Matcher("alertname", "=", page), *service),
                                   (*service, Matcher("alertname", "=~", "|".join(targets))),
                                   (*equal, *slo.by)))
    return out
