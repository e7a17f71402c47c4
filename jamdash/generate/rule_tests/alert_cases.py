"""promtool cases for every alert: healthy, low traffic and before `for:` must not fire; a fault must.

A firing case expects exact labels and the annotations Prometheus renders for the exact $value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jamdash.model import Model
from jamdash.promql.rules_check import sample_labels
from jamdash.generate.rule_tests.series import Series, SeriesMaker, constant, increase, rate
from jamdash.model.rules import Alert, Intent, Sel
from jamdash.spec.common import duration_ms

FIRE_TOTAL_STEP = 100  # whole events per interval in a firing case


@dataclass(frozen=True)
class Case:
    name: str
    series: tuple[Series, ...]
    eval_ms: int
    fires: bool
    labels: tuple[tuple[str, str], ...] = ()
    value: float | None = None
    interval_ms: int = 0  # 0: the file's interval


@dataclass(frozen=True)
class Scenario:
    """One alert's series under the three kinds of traffic, and the fault's exact $value."""

    healthy: tuple[Series, ...]
    low: tuple[Series, ...]
    fault: tuple[Series, ...]
    value: float


def interval_ms(window: str, for_: str) -> int:
    """A quarter of what the window and `for:` have in common: a handful of evaluations per window,
    windows and `for:` whole multiples of it (so rates come out exact), and `for:` longer than it."""
    base = math.gcd(*(duration_ms(d) for d in (window, for_) if d))
    return next(base // n for n in (4, 2, 1) if base % n == 0)


def cases(model: Model, alert: Alert) -> tuple[int, tuple[Case, ...]]:
    """The test interval and the cases of an intent-built alert."""
    intent = alert.intent
    step = interval_ms(intent.window, alert.for_)
    for_ms = duration_ms(alert.for_)
    end = duration_ms(intent.window or "0s") + for_ms + 2 * step
    samples = end // step
    labels = sample_labels(model, frozenset(alert.output_labels))
    make = SeriesMaker(model, labels)
    scenario = BUILDERS[intent.kind](make, intent, samples, step / 1000)
    out = [
        Case("healthy traffic does not fire", scenario.healthy, end, False),
        Case("low traffic does not fire", scenario.low, end, False),
    ]
    if for_ms > step:
        out.append(Case(f"the fault does not fire before for: {alert.for_}", scenario.fault, for_ms - step, False))
    out.append(Case("the fault fires", scenario.fault, end, True, tuple(sorted(labels.items())), scenario.value))
    return step, tuple(out)


def _window_s(intent: Intent) -> float:
    return duration_ms(intent.window) / 1000


def _counter(make: SeriesMaker, sel: Sel, step: float, samples: int) -> Series:
    return make.counter(sel.metric, step, samples, sel.match_dict)


def _ratio(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.errors and intent.total
    w = _window_s(intent)
    total = max(FIRE_TOTAL_STEP, math.ceil(2 * intent.min_rate * interval))
    errors = min(total, math.floor(total * intent.above) + 1)
    healthy_errors = math.floor(total * intent.above / 2)
    low_total = intent.min_rate * interval / 2

    def traffic(t: float, e: float) -> tuple[Series, ...]:
        assert intent.errors and intent.total
        if intent.errors.metric != intent.total.metric:
            return (_counter(make, intent.errors, e, samples), _counter(make, intent.total, t, samples))
        # One metric: the errors are part of the total; the rest carries other values of the error labels.
        rest = {k: _other_value(make.model, k, v) for k, v in intent.errors.match if k not in intent.total.match_dict}
        return (_counter(make, intent.errors, e, samples),
                make.counter(intent.total.metric, t - e, samples, {**intent.total.match_dict, **rest}))

    value = rate(errors, w, interval) / rate(total, w, interval)
    return Scenario(traffic(total, healthy_errors), traffic(low_total, low_total), traffic(total, errors), value)


def _other_value(model: Model, name: str, value: str) -> str:
    label = next((label for label in model.labels if label.name == name), None)
    return next((v for v in (label.values if label else ()) if v != value), "other")


def _rate(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.metric
    step = max(1, math.ceil(2 * intent.above * interval))
    value = rate(step, _window_s(intent), interval)
    return Scenario((_counter(make, intent.metric, intent.above * interval / 2, samples),),
                    (_counter(make, intent.metric, 0, samples),), (_counter(make, intent.metric, step, samples),), value)


def _increase(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.metric
    w = _window_s(intent)
    step = math.floor(intent.above * interval / w) + 1
    burst = make.counter(intent.metric.metric, 0, samples, intent.metric.match_dict)
    burst = Series(burst.series, f"0 {math.floor(intent.above) + 1}+0x{samples - 1}")  # long ago, then quiet
    return Scenario((_counter(make, intent.metric, 0, samples),), (burst,),
                    (_counter(make, intent.metric, step, samples),), increase(step, w, interval))


def _gauge(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.metric
    cap = 1000.0 if intent.relative_to else 1.0
    fire = float(math.floor(intent.above * cap) + 1)
    extra = (Series(make.selector(intent.relative_to, make.label_set(intent.relative_to)), constant(cap, samples)),) \
        if intent.relative_to else ()

    def level(v: float) -> tuple[Series, ...]:
        return (make.gauge(intent.metric.metric, v, samples, intent.metric.match_dict), *extra)  # type: ignore[union-attr]

    return Scenario(level(math.floor(intent.above * cap / 2)), level(0), level(fire), fire / cap)


def _quantile(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.metric
    metric = intent.metric.metric
    buckets = make.model.metric(metric).buckets
    count = float(max(1, math.ceil(2 * intent.min_rate * interval)))
    inf = float("inf")
    return Scenario(tuple(make.histogram(metric, {buckets[0]: count}, samples)),
                    tuple(make.histogram(metric, {inf: intent.min_rate * interval / 2}, samples)),
                    tuple(make.histogram(metric, {inf: count}, samples)), buckets[-1])


def _target_down(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    def up(v: float) -> tuple[Series, ...]:
        return (Series(make.selector("up", make.target_labels()), constant(v, samples)),)
    return Scenario(up(1), up(1), up(0), 0.0)


def _absent(make: SeriesMaker, intent: Intent, samples: int, interval: float) -> Scenario:
    assert intent.metric
    up = Series(make.selector("up", make.target_labels()), constant(1, samples))
    return Scenario((up, make.counter(intent.metric.metric, 10, samples)),
                    (up, make.counter(intent.metric.metric, 0, samples)), (up,), 1.0)


BUILDERS = {"ratio": _ratio, "rate": _rate, "increase": _increase, "gauge": _gauge, "quantile": _quantile,
            "target_down": _target_down, "absent": _absent}
