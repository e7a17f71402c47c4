"""Collects the recording rules that the spec and its alerts need, each named by conventions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from jamdash import conventions
from jamdash.findings import NOWHERE, Position
from jamdash.model.deployment import Matcher
from jamdash.promql import build as q
from jamdash.model.rules import Intent, RecordingRule, Sel
from jamdash.spec.alerts import RecordingRuleSpec
from jamdash.spec.intents import SelectorSpec

_STAGE = {"rate": 0, "increase": 0, "ratio": 1, "quantile": 1}


class Recorder:
    """Recording rules by name; asking twice for the same series gives the same rule."""

    def __init__(self, service: str, target: Sequence[Matcher], cluster: str = "",
                 combine: Callable[[str], str] = lambda series: "sum") -> None:
        self.service = service
        self.target = tuple(target)  # the deployment's selector, on every series read from the targets
        self.cluster = cluster  # the fleet's cluster label, kept by every rule ("" without a fleet)
        self.combine = combine  # how a series' replicas combine: max when shared, else sum
        self.group = conventions.rule_group(service, "recording")
        self._rules: dict[str, RecordingRule] = {}

    def rules(self) -> tuple[RecordingRule, ...]:
        """In evaluation order: rates and increases first, then what is built on them."""
        return tuple(sorted(self._rules.values(), key=lambda r: (r.group, _STAGE[r.intent.kind], r.record)))

    def _add(self, record: str, expr: str, by: tuple[str, ...], intent: Intent, position: Position,
             group: str | None = None) -> str:
        if record not in self._rules:
            self._rules[record] = RecordingRule(record, expr, group or self.group,
                                                self.keep(by), intent, position)
        return record

    def keep(self, by: tuple[str, ...]) -> tuple[str, ...]:
        """The labels every rule keeps: the fleet's cluster label, job, then by."""
        return conventions.aggregation_labels(by, self.cluster)

    def rate(self, metric: str, by: tuple[str, ...], window: str, position: Position = NOWHERE) -> str:
        series = q.selector(metric, target=self.target)
        expr = q.aggregate(self.combine(metric), self.keep(by), q.range_call("rate", series, window))
        return self._add(conventions.rate_record(metric, by, window, self.cluster), expr, by,
                         Intent("rate", by, window, metric=Sel(metric)), position)

    def increase(self, metric: str, by: tuple[str, ...], window: str, position: Position = NOWHERE) -> str:
        series = q.selector(metric, target=self.target)
        expr = q.aggregate(self.combine(metric), self.keep(by), q.range_call("increase", series, window))
        return self._add(conventions.increase_record(metric, by, window, self.cluster), expr, by,
                         Intent("increase", by, window, metric=Sel(metric)), position)

    def ratio(self, errors: str, total: str, by: tuple[str, ...], window: str, position: Position = NOWHERE,
              group: str | None = None) -> str:
        expr = f"{self.rate(errors, by, window, position)} / {q.on(self.keep(by))} {self.rate(total, by, window, position)}"
        record = conventions.ratio_record(self.service, errors, total, by, window, self.cluster)
        return self._add(record, expr, by, Intent("ratio", by, window, errors=Sel(errors), total=Sel(total)),
                         position, group)

    def quantile(self, histogram: str, quantile: float, by: tuple[str, ...], window: str,
                 position: Position = NOWHERE) -> str:
        bucket = conventions.histogram_series_name(histogram, "bucket")
        buckets = q.range_call("rate", q.selector(bucket, target=self.target), window)
        expr = q.call("histogram_quantile", q.number(quantile),
                      q.aggregate("sum", (*self.keep(by), conventions.BUCKET_LABEL), buckets))
        return self._add(conventions.quantile_record(histogram, quantile, by, window, self.cluster), expr, by,
                         Intent("quantile", by, window, metric=Sel(histogram), quantile=quantile), position)

    def rate_of(self, sel: Sel, by: tuple[str, ...], window: str) -> str:
        """The rate of a selection per (job, *by): a recorded series, narrowed and summed if matched."""
        return self._of(self.rate, sel, by, window)

    def increase_of(self, sel: Sel, by: tuple[str, ...], window: str) -> str:
        return self._of(self.increase, sel, by, window)

    def _of(self, record: Callable[[str, tuple[str, ...], str], str], sel: Sel, by: tuple[str, ...],
            window: str) -> str:
        if not sel.match:
            return record(sel.metric, by, window)
        keys = tuple(k for k, _ in sel.match if k not in by)
        name = record(sel.metric, (*by, *keys), window)
        if not keys:
            return q.selector(name, sel.match_dict)
        return q.aggregate("sum", self.keep(by), q.selector(name, sel.match_dict))

    def per_instance(self, intents: Sequence[Intent]) -> tuple[RecordingRule, ...]:
        """The recorded series one per_instance recording_rules entry holds for each intent, whose `by` names
        the labels kept besides instance in any order; dashboards read them, and lint made sure they exist.
        When entries differ only in the order of their labels, the one earliest in the spec wins."""
        found: dict[tuple[str, ...], dict[Intent, RecordingRule]] = {}
        for rule in self._rules.values():
            for intent in intents:
                if rule.intent.by[:1] == ("instance",) and set(rule.intent.by) == {"instance", *intent.by} \
                        and replace(rule.intent, by=intent.by) == intent:
                    found.setdefault(rule.intent.by, {})[intent] = rule
        complete = [rules for rules in found.values() if len(rules) == len(set(intents))]
        assert complete, f"lint (dashboard-unknown-recording) lets no unrecorded series through: {intents}"
        first = min(complete, key=lambda rules: min(tuple(r.position) for r in rules.values()))
        return tuple(first[intent] for intent in intents)

    def from_spec(self, raw: RecordingRuleSpec, names: Callable[[list[str]], tuple[str, ...]],
                  position: Position) -> None:
        """The recorded series one recording_rules entry asks for, over each of its windows."""
        by = conventions.recorded_by(names(raw.by), raw.per_instance)
        for window in raw.windows:
            if raw.rate:
                self.rate(raw.rate, by, window, position)
            if raw.increase:
                self.increase(raw.increase, by, window, position)
            if raw.ratio:
                errors, total = (_metric(raw.ratio.errors), _metric(raw.ratio.total))
                self.ratio(errors, total, by, window, position)
            if raw.histogram:
                for quantile in raw.quantiles:
                    self.quantile(raw.histogram, quantile, by, window, position)


def _metric(sel: str | SelectorSpec) -> str:
    return sel if isinstance(sel, str) else sel.metric
