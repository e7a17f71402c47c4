"""promtool cases for SLO burn-rate alerts and for raw-expr alerts (whose cases the spec gives).

An SLO alert is one rule per window pair under one name. A steady error ratio reads the same over every
window from the first interval on, so the cases need no full window: each pair's threshold is tried just
below and just above (expecting exactly the pairs whose thresholds the ratio passes), and a fast burn just
before and just after `for:`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from jamdash.generate.rule_tests.alert_cases import MIN_STEP, NEAR, Case, Fired
from jamdash.generate.rule_tests.series import Series, SeriesMaker, rate
from jamdash.model.metrics import Model
from jamdash.model.rules import Alert
from jamdash.promql.rules_check import sample_labels
from jamdash.spec.common import duration_ms


def slo_cases(model: Model, rules: Sequence[Alert]) -> tuple[int, tuple[Case, ...]]:
    """The cases of one SLO alert, over all its rules (window pairs)."""
    first = rules[0]
    assert first.slo
    slo = first.slo
    burns = [r.burn for r in rules if r.burn]
    for_ms = duration_ms(first.for_)
    base = math.gcd(for_ms, *(duration_ms(d) for b in burns for d in (b.long, b.short)))
    step = next(base // n for n in (4, 2, 1) if base % n == 0)
    fire_ms = step + for_ms  # a steady ratio holds from the first interval on
    samples = fire_ms // step + 1
    labels = {"job": model.rules.job, **sample_labels(model, frozenset(first.output_labels))}
    expression_labels = tuple(sorted(labels.items()))
    make = SeriesMaker(model, labels)
    total = max(MIN_STEP, math.ceil(20 / min(b.threshold for b in burns)))

    def traffic(errors: float) -> tuple[Series, ...]:
        return (make.counter(slo.errors, errors, samples), make.counter(slo.total, total, samples))

    def ratio(errors: float, window: str) -> float:
        w = duration_ms(window) / 1000
        at = fire_ms / 1000
        return rate(errors, w, step / 1000, at) / rate(total, w, step / 1000, at)

    def fired(errors: float) -> tuple[Fired, ...]:
        return tuple(Fired(r, expression_labels, ratio(errors, r.burn.long)) for r in rules
                     if r.burn and ratio(errors, r.burn.long) > r.burn.threshold
                     and ratio(errors, r.burn.short) > r.burn.threshold)

    out = [Case("no traffic at all does not fire", traffic(0), fire_ms)]
    seen: set[int] = set()
    for burn in burns:
        for side, errors in (("below", round(burn.threshold * total * (1 - NEAR))),
                             ("above", round(burn.threshold * total * (1 + NEAR)))):
            if errors in seen:
                continue
            seen.add(errors)
            out.append(Case(f"an error ratio just {side} the {burn.long}/{burn.short} threshold", traffic(errors),
                            fire_ms, fired(errors)))
    fast = min(total, math.ceil(total * max(b.threshold for b in burns) * (1 + 2 * NEAR)))
    out += [Case(f"a fast burn does not fire before for: {first.for_} has passed", traffic(fast), fire_ms - step),
            Case(f"a fast burn fires once for: {first.for_} has passed", traffic(fast), fire_ms, fired(fast))]
    return step, tuple(out)


def raw_cases(alert: Alert) -> tuple[int, tuple[Case, ...]]:
    """The spec's own cases of a raw-expr alert; the file's step is their common interval."""
    tests = alert.intent.raw_tests
    step = math.gcd(*(duration_ms(t.interval) for t in tests)) if tests else 60_000
    return step, tuple(
        Case(t.name, tuple(Series(s.series, s.values) for s in t.series), duration_ms(t.eval_time),
             (Fired(alert, t.labels, t.value if t.value is not None else 0.0),) if t.fires else (),
             duration_ms(t.interval))
        for t in tests
    )
