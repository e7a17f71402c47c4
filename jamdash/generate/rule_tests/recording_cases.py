"""promql_expr_test cases for recording rules: each recorded series with its exact labels and value."""

from __future__ import annotations

import math

from jamdash.model import Model
from jamdash.promql.rules_check import sample_labels
from jamdash.generate.rule_tests.alert_cases import ratio_traffic, traffic_ratio
from jamdash.generate.rule_tests.series import Series, SeriesMaker, increase, rate
from jamdash.model.rules import RecordingRule
from jamdash.promql import walk as w
from jamdash.record import frozen
from jamdash.spec.common import duration_ms

RATE_STEP = 4
ERROR_STEP = 1


@frozen
class ExprCase:
    record: str
    series: tuple[Series, ...]
    interval_ms: int
    eval_ms: int
    labels: tuple[tuple[str, str], ...]
    value: float


def interval_ms(model: Model, window: str) -> int:
    """A quarter of the window when it divides evenly (few samples, exact), else the scrape interval's gcd."""
    w = duration_ms(window)
    return w // 4 if w % 4 == 0 else math.gcd(w, duration_ms(model.scrape_interval))


def expr_case(model: Model, rule: RecordingRule) -> ExprCase:
    intent = rule.intent
    step = interval_ms(model, intent.window)
    end = duration_ms(intent.window) + 2 * step
    samples = end // step
    labels = sample_labels(model, frozenset(rule.labels))
    make = SeriesMaker(model, labels)
    w, i = duration_ms(intent.window) / 1000, step / 1000
    series: list[Series]
    if intent.kind == "ratio":
        assert intent.errors and intent.total
        series = list(ratio_traffic(make, intent.errors, intent.total, RATE_STEP, ERROR_STEP, samples))
        value = traffic_ratio(intent.errors, intent.total, RATE_STEP, ERROR_STEP, lambda step: rate(step, w, i))
    elif intent.kind == "latency":  # an SLO's share of observations above a bucket bound
        assert intent.metric
        series = make.histogram(intent.metric.metric, {intent.above: RATE_STEP - ERROR_STEP, float("inf"): ERROR_STEP},
                                samples, intent.metric.match_dict)
        value = 1 - rate(RATE_STEP - ERROR_STEP, w, i) / rate(RATE_STEP, w, i)
    elif intent.kind == "quantile":
        assert intent.metric
        series = make.histogram(intent.metric.metric, {float("inf"): RATE_STEP}, samples)
        value = model.metric(intent.metric.metric).buckets[-1]
    else:
        assert intent.metric
        series = _counter_series(make, intent.metric.metric, samples)
        value = rate(RATE_STEP, w, i) if intent.kind == "rate" else increase(RATE_STEP, w, i)
    return ExprCase(rule.record, tuple(series), step, end, tuple(sorted(labels.items())), value)


def _counter_series(make: SeriesMaker, name: str, samples: int) -> list[Series]:
    """A counter, or a histogram's _count or _sum, growing by RATE_STEP per interval."""
    for part in ("_count", "_sum"):
        base = name.removesuffix(part)
        if name.endswith(part) and base in make.model.metrics_by_name:
            return [s for s in make.histogram(base, {float("inf"): RATE_STEP}, samples) if s.series.startswith(name + "{")]
    return [make.counter(name, RATE_STEP, samples)]


def reads(model: Model) -> dict[str, frozenset[str]]:
    """Each recorded series -> the raw series names its expression reads, through other recordings."""
    direct = {rule.record: w.series_names(rule.expr) for rule in model.rules.recording}

    def raw(name: str, seen: frozenset[str]) -> set[str]:
        if name not in direct or name in seen:
            return {name}
        return {leaf for source in direct[name] for leaf in raw(source, seen | {name})}

    return {record: frozenset(leaf for source in names for leaf in raw(source, frozenset({record})))
            for record, names in direct.items()}


@frozen
class _Input:
    """One case's input series, by series name, and each series' values."""

    read: frozenset[str]
    by_name: dict[str, frozenset[Series]]
    values: dict[str, str]

    @classmethod
    def of(cls, case: ExprCase, read: frozenset[str]) -> _Input:
        by_name: dict[str, set[Series]] = {}
        for s in case.series:
            by_name.setdefault(s.series.partition("{")[0], set()).add(s)
        return cls(read, {k: frozenset(v) for k, v in by_name.items()}, {s.series: s.values for s in case.series})

    def fits(self, other: _Input) -> bool:
        """True when adding other's input changes nothing this case reads, and the reverse: no series
        given two values, and no series of a name one reads that only the other gives."""
        empty: frozenset[Series] = frozenset()
        return (all(self.values.get(series, values) == values for series, values in other.values.items())
                and all(other.by_name.get(n, empty) <= self.by_name.get(n, empty) for n in self.read)
                and all(self.by_name.get(n, empty) <= other.by_name.get(n, empty) for n in other.read))


def merged(model: Model, cases: list[ExprCase], read: dict[str, frozenset[str]] | None = None) -> list[list[ExprCase]]:
    """cases (of one interval) in as few promtool tests as can share their input: promtool evaluates
    every rule at every step of every test, so one test of many expressions costs about what one of
    a single expression does. Cases share a test only where no case's expression sees a series it
    would not see alone. read: reads(model), when the caller has it."""
    read = reads(model) if read is None else read
    groups: list[list[tuple[ExprCase, _Input]]] = []
    for case in cases:
        given = _Input.of(case, read[case.record])
        group = next((g for g in groups if all(given.fits(other) for _, other in g)), None)
        if group is None:
            groups.append([(case, given)])
        else:
            group.append((case, given))
    return [[case for case, _ in group] for group in groups]
