"""promtool cases for SLO burn-rate alerts and for raw-expr alerts (whose cases the spec gives)."""

from __future__ import annotations

import math

from jamdash.model import Model
from jamdash.promql.rules_check import sample_labels
from jamdash.generate.rule_tests.alert_cases import FIRE_TOTAL_STEP, Case
from jamdash.generate.rule_tests.series import Series, SeriesMaker, rate
from jamdash.model.rules import Alert
from jamdash.spec.common import duration_ms


def slo_cases(model: Model, alert: Alert) -> list[tuple[int, tuple[Case, ...]]]:
    """Two step sizes: the windows' gcd for the long cases (few evaluations over days), and a step
    below `for:` for the short before-for case."""
    assert alert.slo
    windows = [w for w in alert.slo.windows if alert.name.lower().endswith(w.alert)]
    durations = [duration_ms(d) for w in windows for d in (w.long, w.short)]
    for_ms = duration_ms(alert.for_)
    step = math.gcd(*durations)
    end = -(-(max(durations) + for_ms) // step) * step + 2 * step
    labels = sample_labels(model, frozenset(alert.output_labels))
    make = SeriesMaker(model, labels)

    def traffic(total: float, errors: float, samples: int) -> tuple[Series, ...]:
        return (make.counter(alert.slo.errors, errors, samples),  # type: ignore[union-attr]
                make.counter(alert.slo.total, total, samples))  # type: ignore[union-attr]

    total = FIRE_TOTAL_STEP
    errors = min(total, math.floor(total * 2 * max(w.threshold for w in windows)) + 1)
    healthy = math.floor(total * min(w.threshold for w in windows) / 2)
    first_long = duration_ms(windows[0].long) / 1000
    value = rate(errors, first_long, step / 1000) / rate(total, first_long, step / 1000)
    samples = end // step
    files: list[tuple[int, tuple[Case, ...]]] = [(step, (
        Case("healthy traffic does not fire", traffic(total, healthy, samples), end, False),
        Case("no traffic at all does not fire", traffic(0, 0, samples), end, False),
        Case("a fast error-budget burn fires", traffic(total, errors, samples), end, True,
             tuple(sorted(labels.items())), value),
    ))]
    base = math.gcd(step, for_ms)
    short = next(base // n for n in (4, 2, 1) if base % n == 0)
    if for_ms > short:
        samples = for_ms // short
        files.append((short, (Case(f"the burn does not fire before for: {alert.for_}",
                                   traffic(total, errors, samples), for_ms - short, False),)))
    return files


def raw_cases(alert: Alert) -> tuple[int, tuple[Case, ...]]:
    """The spec's own cases of a raw-expr alert; the file's step is their common interval."""
    tests = alert.intent.raw_tests
    step = math.gcd(*(duration_ms(t.interval) for t in tests)) if tests else 60_000
    return step, tuple(
        Case(t.name, tuple(Series(s.series, s.values) for s in t.series), duration_ms(t.eval_time), t.fires,
             t.labels, t.value, duration_ms(t.interval))
        for t in tests
    )
