"""promtool input series for the spec's metrics: one labelled series per metric, in expanding notation.

Counters grow by a whole number per interval wherever a test checks an exact value, so that
Prometheus' rate() arithmetic can be repeated here bit for bit: (last - first) times a factor, the
extrapolation factor (1.0 here) divided by the window first, as promql/functions.go does it.
"""

from __future__ import annotations

from collections.abc import Mapping

from jamdash import conventions
from jamdash.model import Model
from jamdash.promql.build import label_set
from jamdash.promql.rules_check import SAMPLE_CLUSTER, sample_labels
from jamdash.promql.template import go_float
from jamdash.record import frozen


@frozen
class Series:
    series: str
    values: str


class SeriesMaker:
    """Builds series for one test: labels come from the model, with chosen values where given."""

    def __init__(self, model: Model, labels: Mapping[str, str]) -> None:
        self.model = model
        self.labels = dict(labels)  # label name -> value shared by every series of the test

    def target_labels(self) -> dict[str, str]:
        """The labels every series of the sample target carries: the deployment's test labels, instance and, in a
        fleet, the cluster label."""
        deployment = self.model.deployment
        out = {**dict(deployment.test_labels), "instance": deployment.instance}
        cluster = self.model.fleet.cluster_label  # in a fleet, every series also carries its cluster
        return {**out, cluster: SAMPLE_CLUSTER} if cluster else out

    def label_set(self, metric: str, match: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None,
                  ) -> dict[str, str]:
        base = self.model.metric(metric)
        names = frozenset(label.name for label in base.labels)
        out = self.target_labels()
        out.update(sample_labels(self.model, names))
        out.update({k: v for k, v in self.labels.items() if k in names})
        out.update(match or {})
        out.update(extra or {})
        return out

    def selector(self, name: str, labels: Mapping[str, str]) -> str:
        return name + label_set(sorted(labels.items()))

    def counter(self, metric: str, step: float, samples: int, match: Mapping[str, str] | None = None,
                name: str | None = None, extra: Mapping[str, str] | None = None) -> Series:
        return Series(self.selector(name or metric, self.label_set(metric, match, extra)), grow(step, samples))

    def gauge(self, metric: str, value: float, samples: int, match: Mapping[str, str] | None = None) -> Series:
        return Series(self.selector(metric, self.label_set(metric, match)), constant(value, samples))

    def histogram(self, metric: str, steps: Mapping[float, float], samples: int,
                  match: Mapping[str, str] | None = None) -> list[Series]:
        """Buckets, _count and _sum growing by steps[bound] observations per interval (others flat).

        steps maps a bucket bound (inf for the +Inf bucket) to the observations landing in it."""
        bounds = [*self.model.metric(metric).buckets, float("inf")]
        out, cumulative = [], 0.0
        for bound in bounds:
            cumulative += steps.get(bound, 0.0)
            le = "+Inf" if bound == float("inf") else go_float(bound)
            out.append(self.counter(metric, cumulative, samples, match,
                                    name=conventions.histogram_series_name(metric, "bucket"), extra={"le": le}))
        out.append(self.counter(metric, cumulative, samples, match, name=conventions.histogram_series_name(metric, "count")))
        out.append(self.counter(metric, cumulative, samples, match, name=conventions.histogram_series_name(metric, "sum")))
        return out


def grow(step: float, samples: int) -> str:
    """A counter from 0 growing by step per interval: samples + 1 values."""
    return f"0+{go_float(float(step))}x{samples}"


def notation(values: list[float]) -> str:
    """Sample values in expanding notation, one `start+stepxN` run per stretch of equal steps."""
    runs, i = [], 0
    while i < len(values):
        step = values[i + 1] - values[i] if i + 1 < len(values) else 0.0
        n = 0
        while i + n + 1 < len(values) and values[i + n + 1] - values[i + n] == step:
            n += 1
        runs.append(f"{go_float(values[i])}+{go_float(step)}x{n}")
        i += n + 1
    return " ".join(runs)


def constant(value: float, samples: int) -> str:
    return f"{go_float(float(value))}+0x{samples}"


def rate(step: float, window_s: float, interval_s: float, at_s: float | None = None) -> float:
    """rate() over a window, as Prometheus computes it, of a counter from 0 growing by step per interval;
    at_s (default: a full window) is the evaluation time."""
    return per_second(increase(step, window_s, interval_s, at_s), window_s)


def per_second(delta: float, window_s: float) -> float:
    """rate() of a counter that grew by delta over a window of whole samples, in Prometheus' order of float
    operations: `factor /= range` then `delta *= factor`, the factor being 1.0. delta / window_s can differ by an
    ulp (120004 / 300 is 400.0133333333333, Prometheus gives 400.0133333333334)."""
    return delta * (1.0 / window_s)


def round_up(ms: int, unit: int) -> int:
    """ms rounded up to a whole number of units (a sample or evaluation step)."""
    return -(-ms // unit) * unit


def increase(step: float, window_s: float, interval_s: float, at_s: float | None = None) -> float:
    """increase() of such a counter: the window a multiple of the interval and the counter starting at 0,
    the extrapolation factor is exactly 1.0, also while the window is not yet full."""
    intervals = round(window_s / interval_s)
    if at_s is not None:
        intervals = min(intervals, round(at_s / interval_s))
    return float(step * intervals) * 1.0


def between(low: float, high: float) -> float:
    """A number strictly between low and high with few binary digits (k / 2**n, n as small as can be), near
    the middle: sums of it are exact in float64, so promtool's expanding notation adds it up without error."""
    middle = (low + high) / 2
    for bits in range(0, 40):
        scale = float(2 ** bits)
        candidate = round(middle * scale) / scale
        if low < candidate < high:
            return candidate
    return middle
