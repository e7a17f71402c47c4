"""promtool cases for SLO burn-rate alerts and for raw-expr alerts (whose cases the spec gives).

An SLO alert is one rule per window pair under one name, `long > t and short > t`. For each pair: a steady
error ratio just above t (which reads the same over every window); a long-window ratio just below t while
the short window is far above; and a short-window ratio just below t while the long window is far above.
The last two need a history: one large first interval of traffic, then a steady stream, so the long window
(still not full) hardly moves while the short one holds only the stream. Each case expects exactly the
pairs that hold through the whole of `for:`, with their exact values, worked out below as Prometheus would.

promtool evaluates every rule at every evaluation_interval step up to a case's eval_time, and allows one
interval per file, so the cases come in two files. The first is evaluated every quarter of `for:` (or at the
sample step, where that does not divide it) and holds the cases that fire or stay quiet within one `for:` of
the start. The window cases must run past a short window; their file samples at the windows' common divisor
and is evaluated at the multiple of `for:` that takes the fewest evaluations, which is all those cases
resolve: the short window left behind the first interval, then `for:` passed, the first interval still in
every long window.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from jamdash import conventions
from jamdash.generate.rule_tests.alert_cases import MIN_STEP, NEAR, Case, Fired, every_ms, rest_of, traffic_ratio
from jamdash.generate.rule_tests.series import Series, SeriesMaker, notation, per_second, round_up
from jamdash.model import Model
from jamdash.model.rules import Alert, BurnWindow, Sel, Slo
from jamdash.promql.template import go_float
from jamdash.promql.rules_check import sample_labels
from jamdash.record import frozen
from jamdash.spec.common import duration_ms

DRIFT = 0.05  # how far, as a share of the threshold, the long window may move while a case runs


@frozen
class Traffic:
    """Cumulative errors and totals at every sample: a first interval of (errors, total), then a stream."""

    errors: tuple[float, ...]
    totals: tuple[float, ...]

    @classmethod
    def of(cls, samples: int, stream: tuple[float, float], first: tuple[float, float] | None = None) -> Traffic:
        errors, totals = [0.0], [0.0]
        for k in range(1, samples + 1):
            e, t = first if first and k == 1 else stream
            errors.append(errors[-1] + e)
            totals.append(totals[-1] + t)
        return cls(tuple(errors), tuple(totals))

    def ratio(self, slo: Slo, window_ms: int, at_ms: int, step_ms: int) -> float | None:
        """The error ratio over the window at that time, as the recorded ratio of slo_series' series computes it
        (None: no value): errors / total, errors / (errors + the rest) for one counter split by the error labels,
        1 - bucket{le=below} / count for a histogram.

        The window is a whole number of steps and the counters start at 0, so rate() needs no extrapolation."""
        k = at_ms // step_ms
        j = max(0, k - window_ms // step_ms)
        if k == 0 or self.totals[k] == self.totals[j]:
            return None
        w = window_ms / 1000
        errors, total = self.errors[k] - self.errors[j], self.totals[k] - self.totals[j]
        if slo.errors is None:
            return 1 - per_second(total - errors, w) / per_second(total, w)
        return traffic_ratio(slo.errors, slo.total, total, errors, lambda delta: per_second(delta, w))


@frozen
class Steps:
    """A file's input sample interval and evaluation interval (a whole number of samples)."""

    sample_ms: int
    every_ms: int

    def after(self, at_ms: int, for_ms: int) -> int:
        """The first evaluation at or after at_ms at which a condition holding since then has held for `for:`."""
        return round_up(at_ms, self.every_ms) + round_up(for_ms, self.every_ms)


def windows_every(base: int, for_ms: int, burns: Sequence[BurnWindow]) -> int:
    """The window cases' evaluation interval: the multiple of `for:` (or of the sample step, without one) that
    takes the fewest evaluations, each case ending a sample short of its long window (so the first interval
    stays in it)."""
    unit = for_ms or base
    best, fewest = unit, None
    for every in range(unit, max(duration_ms(b.short) for b in burns) + base + unit, unit):
        steps = Steps(base, every)
        ends = [steps.after(duration_ms(b.short) + base, for_ms) for b in burns]
        if any(end + base > duration_ms(b.long) for end, b in zip(ends, burns)):
            break
        evaluations = sum(end // every + 1 for end in ends)
        if fewest is None or evaluations < fewest:
            best, fewest = every, evaluations
    return best


def slo_cases(model: Model, rules: Sequence[Alert]) -> tuple[tuple[Steps, tuple[Case, ...]], ...]:
    """The cases of one SLO alert, over all its rules (window pairs): the `for:` file, then the windows file."""
    first = rules[0]
    assert first.slo
    slo = first.slo
    burns = [r.burn for r in rules if r.burn]
    for_ms = duration_ms(first.for_)
    base = math.gcd(for_ms, *(duration_ms(d) for b in burns for d in (b.long, b.short)))
    step = next(base // n for n in (4, 2, 1) if base % n == 0)
    fine, coarse = Steps(step, every_ms(step, for_ms)), Steps(base, windows_every(base, for_ms, burns))
    fire_ms = fine.every_ms + for_ms  # a steady ratio holds from the first evaluation on
    labels = sample_labels(model, frozenset(first.output_labels))
    expression_labels = tuple(sorted(labels.items()))
    make = SeriesMaker(model, labels)
    total = max(MIN_STEP, math.ceil(20 / min(b.threshold for b in burns)))

    def holds(rule: Alert, traffic: Traffic, at_ms: int, steps: Steps) -> bool:
        assert rule.burn
        since = at_ms - round_up(for_ms, steps.every_ms)  # the evaluations within `for:` of at_ms
        for tick in range(since, at_ms + 1, steps.every_ms):
            for window in (rule.burn.long, rule.burn.short):
                value = traffic.ratio(slo, duration_ms(window), tick, steps.sample_ms) if tick >= 0 else None
                if value is None or not value > rule.burn.threshold:
                    return False
        return True

    def case(name: str, traffic: Traffic, at_ms: int, steps: Steps = fine) -> Case:
        fired = tuple(
            Fired(r, expression_labels, traffic.ratio(slo, duration_ms(r.burn.long), at_ms, steps.sample_ms) or 0.0)
            for r in rules if r.burn and holds(r, traffic, at_ms, steps))
        return Case(name, slo_series(make, slo, traffic), at_ms, fired, steps.sample_ms)

    samples = fire_ms // step
    out = [case("no traffic at all does not fire", Traffic.of(samples, (0, 0)), fire_ms)]
    windows = []
    for burn in burns:
        pair = f"{burn.long}/{burn.short}"
        t = burn.threshold
        out.append(case(f"a steady error ratio just above the {pair} threshold",
                        Traffic.of(samples, (round(t * total * (1 + NEAR)), total)), fire_ms))
        # The first evaluation at which the short window has left the first interval behind, then `for:`.
        at = coarse.after(duration_ms(burn.short) + base, for_ms)
        volume = math.ceil(at // base * total / (DRIFT * t))  # the first interval outweighs the stream
        stream = at // base
        windows += [
            case(f"the {burn.long} ratio just below the {pair} threshold, the {burn.short} ratio far above",
                 Traffic.of(stream, (total, total), (round(t * (1 - 1.5 * NEAR) * volume), volume)), at, coarse),
            case(f"the {burn.short} ratio just below the {pair} threshold, the {burn.long} ratio far above",
                 Traffic.of(stream, (round(t * (1 - NEAR) * total), total), (round(far(t) * volume), volume)), at,
                 coarse)]
    fast = Traffic.of(samples, (min(total, math.ceil(total * max(b.threshold for b in burns) * (1 + 2 * NEAR))), total))
    out += [case(f"a fast burn does not fire before for: {first.for_} has passed", fast, fire_ms - fine.every_ms),
            case(f"a fast burn fires once for: {first.for_} has passed", fast, fire_ms)]
    return (fine, tuple(out)), (coarse, tuple(windows))


def far(threshold: float) -> float:
    """An error ratio far above the threshold that is still a ratio (at most 1): twice the threshold, or halfway
    to 1 for a low objective's high threshold (a split counter or a histogram cannot fail more than it counts)."""
    return min(2 * threshold, (1 + threshold) / 2)


def slo_series(make: SeriesMaker, slo: Slo, traffic: Traffic) -> tuple[Series, ...]:
    """The input series of traffic: two counters, one counter split by the error labels, or a histogram whose
    good observations land in the `below` bucket and the rest above every bound."""
    errors, totals = list(traffic.errors), list(traffic.totals)
    good = [t - e for e, t in zip(errors, totals)]

    def counter(sel: Sel, values: list[float], match: Mapping[str, str] | None = None) -> Series:
        labels = make.label_set(sel.metric, sel.match_dict if match is None else match)
        return Series(make.selector(sel.metric, labels), notation(values))

    if slo.errors is not None:
        if slo.errors.metric != slo.total.metric:
            return counter(slo.errors, errors), counter(slo.total, totals)
        return counter(slo.errors, errors), counter(slo.total, good, rest_of(make.model, slo.errors, slo.total))
    assert slo.below is not None
    histogram, match = slo.total.metric, slo.total.match_dict
    out = []
    for bound in [*make.model.metric(histogram).buckets, math.inf]:
        values = totals if bound == math.inf else good if bound >= slo.below else [0.0] * len(totals)
        le = {conventions.BUCKET_LABEL: "+Inf" if bound == math.inf else go_float(bound)}
        out.append(Series(make.selector(conventions.histogram_series_name(histogram, "bucket"),
                                        make.label_set(histogram, match, le)), notation(values)))
    for part in ("count", "sum"):
        out.append(Series(make.selector(conventions.histogram_series_name(histogram, part),
                                        make.label_set(histogram, match)), notation(totals)))
    return tuple(out)


def raw_cases(alert: Alert) -> list[tuple[int, tuple[Case, ...]]]:
    """The spec's own cases of a raw-expr alert, a file per interval, the finest first: each file's step and cases.
    promtool takes one evaluation interval a file and evaluates every rule at every step, so a case the spec samples
    coarsely is evaluated coarsely too."""
    by_interval: dict[int, list[Case]] = {}
    for t in alert.intent.raw_tests:
        by_interval.setdefault(duration_ms(t.interval), []).append(Case(
            t.name, tuple(Series(s.series, s.values) for s in t.series), duration_ms(t.eval_time),
            (Fired(alert, t.labels, t.value if t.value is not None else 0.0),) if t.fires else (),
            duration_ms(t.interval)))
    # each file evaluated at its interval, and at every eval_time of its cases
    return [(math.gcd(step, *(c.eval_ms for c in found)), tuple(found)) for step, found in sorted(by_interval.items())
            ] or [(60_000, ())]
