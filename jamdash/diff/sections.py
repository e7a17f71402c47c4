"""Compatibility of everything besides metrics: alerts, recorded series, SLOs, dashboards, log events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from jamdash import codes
from jamdash.diff.change import WAIVED, Change
from jamdash.findings import NOWHERE, Position
from jamdash.model import Model
from jamdash.model.metrics import Deprecation
from jamdash.model.rules import Alert, RecordingRule, Slo

T = TypeVar("T")


def _split(old: Mapping[str, T], new: Mapping[str, T]) -> tuple[list[str], list[str], list[str]]:
    """Names only in old, only in new, and in both."""
    return [n for n in old if n not in new], [n for n in new if n not in old], [n for n in new if n in old]


def _at(model: Model, *path: str | int) -> Position:
    return model.source.key(path) if path else NOWHERE


def _retired(deprecated: Deprecation | None) -> str:
    """Why removing a dashboard, log event or field is acknowledged: it was deprecated in the base ("" if not)."""
    return f"deprecated in the base: {deprecated.reason}" if deprecated else ""


def _reason(deprecated: Deprecation) -> str:
    until = f", until {deprecated.until}" if deprecated.until else ""
    return f"{deprecated.reason.strip().rstrip('.')}{until}"


def _alert_fields(alert: Alert) -> dict[str, str]:
    i = alert.intent
    fields = {"severity": alert.severity, "for": alert.for_, "window": i.window, "threshold": f"{i.above:g}",
              "minimum rate": f"{i.min_rate:g}", "quantile": f"{i.quantile:g}"}
    if i.kind == "expr":
        fields = {"severity": alert.severity, "for": alert.for_, "expression": alert.expr}
    return fields


def alerts(old: Model, new: Model) -> Iterator[Change]:
    before = {a.name: a for a in old.rules.alerts if a.slo is None}
    after = {a.name: a for a in new.rules.alerts if a.slo is None}
    removed, added, kept = _split(before, after)
    for name in removed:
        yield Change(codes.COMPAT_ALERT_CHANGED, f"alert {name}", f"alert {name} removed (it paged or ticketed as "
                     f"{before[name].severity}); routes and silences that name it match nothing now", _at(new, "alerts"))
    for name in added:
        yield Change(codes.COMPAT_ALERT_CHANGED, f"alert {name}", f"alert {name} added ({after[name].severity})",
                     after[name].position)
    for name in kept:
        was, now = _alert_fields(before[name]), _alert_fields(after[name])
        for field in (f for f in now if f in was and was[f] != now[f]):
            yield Change(codes.COMPAT_ALERT_CHANGED, f"alert {name}",
                         f"alert {name}: {field} {was[field]} → {now[field]}", after[name].position)


def _recorded_metrics(rule: RecordingRule) -> set[str]:
    i = rule.intent
    return {sel.metric for sel in (i.metric, i.errors, i.total) if sel is not None}


def records(old: Model, new: Model) -> Iterator[Change]:
    before = {r.record: r for r in old.rules.recording}
    after = {r.record: r for r in new.rules.recording}
    removed, added, _ = _split(before, after)
    for name in (n for n in removed if not before[n].listed):
        yield Change(codes.COMPAT_RECORD_CHANGED, f"recorded {name}", f"recorded series {name}, which an alert or SLO "
                     "read, is no longer generated", _at(new, "recording_rules"))
    for name in (n for n in removed if before[n].listed):
        metrics = sorted(_recorded_metrics(before[name]))
        waived = [m for m in metrics if any(x.name == m and codes.COMPAT_RECORD_REMOVED in x.waived
                                            for x in new.metrics)]
        yield Change(codes.COMPAT_RECORD_REMOVED, f"recorded {name}",
                     f"recorded series {name} is no longer generated; queries outside the spec that read it "
                     f"get nothing (it recorded {', '.join(metrics)})", _at(new, "recording_rules"),
                     WAIVED if waived else "")
    for name in added:
        yield Change(codes.COMPAT_RECORD_CHANGED, f"recorded {name}", f"recorded series {name} added",
                     after[name].position)


def _slo_fields(slo: Slo) -> dict[str, str]:
    sli = (f"{slo.total.metric} observations under {slo.below:g}" if slo.below is not None
           else f"{slo.errors.metric if slo.errors else ''} / {slo.total.metric}")
    return {"objective": f"{slo.objective:g}", "period": slo.period, "SLI": sli,
            "burn windows": ", ".join(f"{w.alert} {w.long}/{w.short}" for w in slo.windows)}


def slos(old: Model, new: Model) -> Iterator[Change]:
    before = {s.name: s for s in old.rules.slos}
    after = {s.name: s for s in new.rules.slos}
    removed, added, kept = _split(before, after)
    for name in removed:
        yield Change(codes.COMPAT_SLO_CHANGED, f"slo {name}", f"SLO {name} removed, with its burn-rate alerts",
                     _at(new, "slo"))
    for name in added:
        yield Change(codes.COMPAT_SLO_CHANGED, f"slo {name}", f"SLO {name} added", after[name].position)
    for name in kept:
        was, now = _slo_fields(before[name]), _slo_fields(after[name])
        for field in (f for f in now if was[f] != now[f]):
            yield Change(codes.COMPAT_SLO_CHANGED, f"slo {name}", f"SLO {name}: {field} {was[field]} → {now[field]}",
                         after[name].position)


def dashboards(old: Model, new: Model) -> Iterator[Change]:
    before = {b.uid: b for b in (old.dashboards.boards if old.dashboards else ())}
    after = {b.uid: b for b in (new.dashboards.boards if new.dashboards else ())}
    removed, added, kept = _split(before, after)
    for uid in removed:
        moved = next((b for b in after.values() if b.key == before[uid].key), None)
        how = f"its uid is {moved.uid} now" if moved else "it is gone"
        yield Change(codes.COMPAT_DASHBOARD_REMOVED, f"dashboard {uid}", f"dashboard {uid} ('{before[uid].title}'): "
                     f"{how}; links and bookmarks to /d/{uid} break", moved.position if moved else _at(new, "dashboards"),
                     _retired(before[uid].deprecated))
    for uid in added:
        if not any(b.key == after[uid].key for b in before.values()):
            yield Change(codes.COMPAT_DASHBOARD_CHANGED, f"dashboard {uid}", f"dashboard {uid} added", after[uid].position)
    for uid in kept:
        was, now = before[uid], after[uid]
        if was.title != now.title:
            yield Change(codes.COMPAT_DASHBOARD_CHANGED, f"dashboard {uid}",
                         f"dashboard {uid} retitled '{was.title}' → '{now.title}'", now.position)
        if now.deprecated and not was.deprecated:
            yield Change(codes.COMPAT_DASHBOARD_CHANGED, f"dashboard {uid}", f"dashboard {uid} deprecated "
                         f"({_reason(now.deprecated)})", _at(new, "dashboards", "boards", now.key, "deprecated"))
        old_panels, new_panels = [p.title for p in was.panels], [p.title for p in now.panels]
        for title in (t for t in old_panels if t not in new_panels):
            yield Change(codes.COMPAT_DASHBOARD_CHANGED, f"dashboard {uid}", f"panel '{title}' removed from {uid}",
                         now.position)
        for panel in (p for p in now.panels if p.title not in old_panels):
            yield Change(codes.COMPAT_DASHBOARD_CHANGED, f"dashboard {uid}",
                         f"panel '{panel.title}' added to {uid}", panel.position)


def events(old: Model, new: Model) -> Iterator[Change]:
    before = {e.name: e for e in (old.telemetry.events if old.telemetry else ())}
    after = {e.name: e for e in (new.telemetry.events if new.telemetry else ())}
    removed, added, kept = _split(before, after)
    for name in removed:
        yield Change(codes.COMPAT_EVENT_FIELD_REMOVED, f"event {name}", f"log event {name} is no longer logged",
                     _at(new, "telemetry"), _retired(before[name].deprecated))
    for name in added:
        yield Change(codes.COMPAT_EVENT_CHANGED, f"event {name}", f"log event {name} added",
                     _at(new, "telemetry", "events", name))
    for name in kept:
        was = {f.name: f for f in before[name].fields}
        now = {f.name: f for f in after[name].fields}
        gone, new_fields, both = _split(was, now)
        at = _at(new, "telemetry", "events", name, "fields")
        if (deprecated := after[name].deprecated) and not before[name].deprecated:
            yield Change(codes.COMPAT_EVENT_CHANGED, f"event {name}", f"log event {name} deprecated "
                         f"({_reason(deprecated)})", _at(new, "telemetry", "events", name, "deprecated"))
        for field in gone:
            yield Change(codes.COMPAT_EVENT_FIELD_REMOVED, f"event {name}",
                         f"field '{field}' removed from log event {name}", at,
                         _retired(was[field].deprecated or before[name].deprecated))
        for field in both:
            if was[field].kind != now[field].kind:
                yield Change(codes.COMPAT_EVENT_FIELD_REMOVED, f"event {name}", f"field '{field}' of log event {name} "
                             f"changed kind from {was[field].kind} to {now[field].kind}",
                             _at(new, "telemetry", "events", name, "fields", field))
            if (deprecated := now[field].deprecated) and not was[field].deprecated:
                yield Change(codes.COMPAT_EVENT_CHANGED, f"event {name}", f"field '{field}' of log event {name} "
                             f"deprecated ({_reason(deprecated)})",
                             _at(new, "telemetry", "events", name, "fields", field, "deprecated"))
        for field in new_fields:
            yield Change(codes.COMPAT_EVENT_CHANGED, f"event {name}", f"field '{field}' added to log event {name}",
                         _at(new, "telemetry", "events", name, "fields", field))


def compare_sections(old: Model, new: Model) -> list[Change]:
    """Every change outside the metrics section, breaking or not."""
    return [c for section in (alerts, records, slos, dashboards, events) for c in section(old, new)]
