"""promtool cases for every intent-built alert: each threshold and guard, and `for:`, from either side.

Each threshold and guard is tried just below and just above, and the fault just before and just after
`for:` has passed. Input series are sampled at a step that divides the window (so rates come out exact); the
rules are evaluated at a coarser step, a quarter of `for:` where the sample step divides it, since promtool
evaluates every rule of the rule files at every evaluation step and only `for:` needs resolving there. "Just" is NEAR (10%) either side, so a threshold 20% off, or a `for:` half or twice as long, fails a case
(tests/check/test_rule_mutation.py keeps that true). A firing case expects exact labels and the
annotations Prometheus renders for the exact $value, computed here with Prometheus' float operations in its
order (series.py's rate(), traffic_ratio below).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from jamdash.generate.rule_tests.quantile import distribution, histogram_quantile
from jamdash.generate.rule_tests.series import Series, SeriesMaker, between, constant, increase, rate, round_up
from jamdash.model import Model
from jamdash.model.rules import Alert, Intent, Sel
from jamdash.promql.rules_check import sample_labels
from jamdash.record import frozen
from jamdash.spec.common import duration_ms

NEAR = 0.1  # a boundary case sits this share below or above its threshold
MIN_STEP = 1000  # whole events per interval where a case needs many (a ratio's total, a quantile's observations)


@frozen
class Fired:
    """One alert a case expects: the rule, the expression's labels and the exact $value."""

    alert: Alert
    labels: tuple[tuple[str, str], ...]
    value: float


@frozen
class Case:
    name: str
    series: tuple[Series, ...]
    eval_ms: int
    fired: tuple[Fired, ...] = ()
    interval_ms: int = 0  # 0: the file's interval

    @property
    def fires(self) -> bool:
        return bool(self.fired)


@frozen
class Setup:
    """What every builder needs: the alert, its series maker, the steps and the times that matter."""

    alert: Alert
    make: SeriesMaker
    labels: tuple[tuple[str, str], ...]
    step_ms: int  # the input series' sample interval
    every_ms: int  # the evaluation interval, a whole number of samples
    samples: int
    onset_ms: int  # the first evaluation at which a strong fault holds

    @property
    def intent(self) -> Intent:
        return self.alert.intent

    @property
    def step_s(self) -> float:
        return self.step_ms / 1000

    @property
    def window_s(self) -> float:
        return duration_ms(self.intent.window) / 1000

    @property
    def fire_ms(self) -> int:
        """When a fault holding from the onset fires: the onset plus `for:`."""
        return self.onset_ms + duration_ms(self.alert.for_)

    @property
    def full_ms(self) -> int:
        """The first evaluation once the window is full, plus `for:`: a fault that only holds once the window is
        full has fired by then."""
        full = round_up(duration_ms(self.intent.window or "0s"), self.every_ms)
        return max(full, self.onset_ms) + duration_ms(self.alert.for_)

    def fired(self, value: float) -> tuple[Fired, ...]:
        return (Fired(self.alert, self.labels, value),)

    def around_for(self, series: tuple[Series, ...], value: float) -> list[Case]:
        """The fault one evaluation before `for:` has passed (pending) and once it has (firing)."""
        before = [Case(f"the fault does not fire before for: {self.alert.for_} has passed", series,
                       self.fire_ms - self.every_ms)] if self.fire_ms - self.every_ms >= self.onset_ms else []
        return [*before, Case(f"the fault fires once for: {self.alert.for_} has passed", series, self.fire_ms,
                              self.fired(value))]


def interval_ms(window: str, for_: str) -> int:
    """A quarter of what the window and `for:` have in common: windows and `for:` whole multiples of it
    (so rates come out exact), and `for:` at least four of it (so half a `for:` is told apart)."""
    base = math.gcd(*(duration_ms(d) for d in (window, for_) if d)) or 60_000
    return next(base // n for n in (4, 2, 1) if base % n == 0)


def every_ms(step: int, for_ms: int) -> int:
    """The evaluation interval: the largest multiple of the sample step that divides `for:` into four or more
    (so half a `for:` is told apart), else the sample step."""
    if not for_ms:
        return step
    return step * max(k for k in range(1, max(1, for_ms // (4 * step)) + 1) if for_ms % (k * step) == 0)


def cases(model: Model, alert: Alert) -> tuple[int, tuple[Case, ...]]:
    """The evaluation interval and the cases (sampled at their own interval) of an intent-built alert."""
    intent = alert.intent
    step = interval_ms(intent.window, alert.for_)
    every = every_ms(step, duration_ms(alert.for_))
    labels = sample_labels(model, frozenset(alert.output_labels))
    onset = 0 if intent.kind in INSTANT else every
    end = round_up(max(duration_ms(intent.window or "0s"), onset), every) + duration_ms(alert.for_) + step
    setup = Setup(alert, SeriesMaker(model, labels), tuple(sorted(labels.items())), step, every, end // step, onset)
    return every, tuple(replace(case, interval_ms=step) for case in BUILDERS[intent.kind](setup))


def _counter(setup: Setup, sel: Sel, step: float) -> Series:
    return setup.make.counter(sel.metric, step, setup.samples, sel.match_dict)


def _ratio(s: Setup) -> list[Case]:
    intent = s.intent
    assert intent.errors and intent.total
    # The total per interval meets the guard from the first interval, and leaves room for whole error counts
    # within NEAR of the threshold.
    total = max(MIN_STEP, math.ceil(20 / intent.above), math.ceil(2 * intent.min_rate * s.window_s))

    def traffic(t: float, e: float) -> tuple[Series, ...]:
        assert intent.errors and intent.total
        return ratio_traffic(s.make, intent.errors, intent.total, t, e, s.samples)

    def ratio(t: float, e: float, at_ms: int) -> float:
        assert intent.errors and intent.total
        return traffic_ratio(intent.errors, intent.total, t, e,
                             lambda step: rate(step, s.window_s, s.step_s, at_ms / 1000))

    below, above = (round(intent.above * total * (1 + d)) for d in (-NEAR, NEAR))
    guard = intent.min_rate * s.step_s  # events per interval at the guard
    low, high = between(guard * 0.85, guard * 0.95), between(guard * 1.05, guard * 1.15)
    return [
        Case("an error ratio just below the threshold does not fire", traffic(total, below), s.fire_ms),
        *s.around_for(traffic(total, above), ratio(total, above, s.fire_ms)),
        Case("a total rate just below min_total_rate does not fire", traffic(low, low), s.full_ms),
        Case("a total rate just above min_total_rate fires", traffic(high, high), s.full_ms,
             s.fired(ratio(high, high, s.full_ms))),
    ]


def ratio_traffic(make: SeriesMaker, errors: Sel, total: Sel, t: float, e: float, samples: int) -> tuple[Series, ...]:
    """e failed of t events per interval: two counters, or one whose error labels split it."""
    failed = make.counter(errors.metric, e, samples, errors.match_dict)
    if errors.metric != total.metric:
        return (failed, make.counter(total.metric, t, samples, total.match_dict))
    # One metric: the errors are part of the total; the rest carries other values of the error labels.
    return (failed, make.counter(total.metric, t - e, samples, rest_of(make.model, errors, total)))


def traffic_ratio(errors: Sel, total: Sel, t: float, e: float, rate_of: Callable[[float], float]) -> float:
    """The error ratio of ratio_traffic(..., t, e, ...) given each counter's rate, as Prometheus adds and divides
    them: one metric's total rate is the sum of its two series' rates (which need not equal the rate of t)."""
    failed = rate_of(e)
    return failed / (rate_of(t) if errors.metric != total.metric else failed + rate_of(t - e))


def rest_of(model: Model, errors: Sel, total: Sel) -> dict[str, str]:
    """The labels of a metric's events that are not errors: total's match, and another value of each error label."""
    return {**total.match_dict, **{k: _other_value(model, k, v) for k, v in errors.match if k not in total.match_dict}}


def _other_value(model: Model, name: str, value: str) -> str:
    label = next((label for label in model.labels if label.name == name), None)
    return next((v for v in (label.values if label else ()) if v != value), "other")


def _rate(s: Setup) -> list[Case]:
    intent = s.intent
    assert intent.metric
    at = intent.above * s.step_s  # events per interval at the threshold
    low, high = between(at * 0.85, at * 0.95), between(at * 1.05, at * 1.15)
    strong = math.floor(intent.above * s.window_s) + 1  # above the threshold from the first interval
    return [
        Case("a rate just below the threshold does not fire", (_counter(s, intent.metric, low),), s.full_ms),
        Case("a rate just above the threshold fires", (_counter(s, intent.metric, high),), s.full_ms,
             s.fired(rate(high, s.window_s, s.step_s, s.full_ms / 1000))),
        *s.around_for((_counter(s, intent.metric, strong),), rate(strong, s.window_s, s.step_s, s.fire_ms / 1000)),
    ]


def _increase(s: Setup) -> list[Case]:
    """Bursts of whole events after the first interval: in the window until it slides past them."""
    intent = s.intent
    assert intent.metric
    fire = math.floor(intent.above) + 1

    def burst(events: int) -> tuple[Series, ...]:
        series = _counter(s, intent.metric, 0)  # type: ignore[arg-type]
        return (Series(series.series, f"0 {events}+0x{s.samples - 1}"),)

    if s.fire_ms > duration_ms(intent.window):  # the burst leaves the window before `for:` passes: keep adding
        return [*s.around_for((_counter(s, intent.metric, fire),),
                              round(increase(fire, s.window_s, s.step_s, s.fire_ms / 1000)))]
    below = math.floor(intent.above)
    return [
        Case(f"{below} events in the window, just below the threshold, do not fire", burst(below), s.fire_ms),
        *s.around_for(burst(fire), float(fire)),
    ]


def _gauge(s: Setup) -> list[Case]:
    intent = s.intent
    assert intent.metric
    extra: tuple[Series, ...] = ()
    if intent.relative_to:
        cap = 1000.0
        while 2 * NEAR * intent.above * cap < 4:  # room for whole levels within NEAR of the threshold
            cap *= 10
        low, high = (float(round(intent.above * cap * (1 + d))) for d in (-NEAR, NEAR))
        extra = (Series(s.make.selector(intent.relative_to, s.make.label_set(intent.relative_to)),
                        constant(cap, s.samples)),)
    else:
        cap = 1.0
        low, high = between(intent.above * 0.85, intent.above * 0.95), between(intent.above * 1.05, intent.above * 1.15)

    def level(v: float) -> tuple[Series, ...]:
        return (s.make.gauge(intent.metric.metric, v, s.samples, intent.metric.match_dict), *extra)  # type: ignore[union-attr]

    return [Case("a level just below the threshold does not fire", level(low), s.fire_ms),
            *s.around_for(level(high), high / cap)]


def _quantile(s: Setup) -> list[Case]:
    intent = s.intent
    assert intent.metric
    metric = intent.metric.metric
    buckets = s.make.model.metric(metric).buckets
    # Observations per interval: the guard is met from the first interval.
    many = max(MIN_STEP, math.ceil(2 * intent.min_rate * s.window_s))

    def observed(counts: dict[float, float]) -> tuple[Series, ...]:
        return tuple(s.make.histogram(metric, counts, s.samples))

    def value(counts: dict[float, float], at_ms: int) -> float:
        rates = quantile_rates(buckets, counts, s.window_s, s.step_s, at_ms / 1000)
        return histogram_quantile(intent.quantile, rates)

    out: list[Case] = []
    below = distribution(buckets, intent.quantile, intent.above * (1 - 2 * NEAR), intent.above, many)
    if below:
        out.append(Case("a quantile just below the threshold does not fire", observed(below), s.fire_ms))
    above = distribution(buckets, intent.quantile, intent.above, intent.above * (1 + 2 * NEAR), many)
    slow = above or {math.inf: float(many)}
    out += s.around_for(observed(slow), value(slow, s.fire_ms))
    guard = intent.min_rate * s.step_s
    low, high = ({math.inf: between(guard * a, guard * b)} for a, b in ((0.85, 0.95), (1.05, 1.15)))
    out += [Case("an observation rate just below min_rate does not fire", observed(low), s.full_ms),
            Case("an observation rate just above min_rate fires", observed(high), s.full_ms,
                 s.fired(value(high, s.full_ms)))]
    return out


def quantile_rates(buckets: tuple[float, ...], counts: dict[float, float], window_s: float, step_s: float,
                   at_s: float) -> list[tuple[float, float]]:
    """Each bucket's rate() (cumulative, +Inf last) of a histogram observing counts[bound] per interval."""
    out, cumulative = [], 0.0
    for bound in (*buckets, math.inf):
        cumulative += counts.get(bound, 0.0)
        out.append((bound, rate(cumulative, window_s, step_s, at_s)))
    return out


def _target_down(s: Setup) -> list[Case]:
    def up(v: float) -> tuple[Series, ...]:
        return (Series(s.make.selector("up", s.make.target_labels()), constant(v, s.samples)),)
    return [Case("a target that is up does not fire", up(1), s.fire_ms), *s.around_for(up(0), 0.0)]


def _absent(s: Setup) -> list[Case]:
    intent = s.intent
    assert intent.metric
    up = Series(s.make.selector("up", s.make.target_labels()), constant(1, s.samples))
    return [Case("metrics that are exported do not fire", (up, s.make.counter(intent.metric.metric, 10, s.samples)),
                 s.fire_ms),
            *s.around_for((up,), 1.0)]


INSTANT = ("gauge", "target_down", "absent")  # kinds whose condition holds from the first sample
BUILDERS: dict[str, Callable[[Setup], list[Case]]] = {
    "ratio": _ratio, "rate": _rate, "increase": _increase, "gauge": _gauge, "quantile": _quantile,
    "target_down": _target_down, "absent": _absent}
