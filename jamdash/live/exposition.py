"""One exposition as families of samples: scraped (Prometheus text or OpenMetrics) or collected from a registry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jamdash.live.access import NO_ACCESS, Access
from jamdash.live.client import request

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from prometheus_client.registry import Collector

# What Prometheus itself asks for: OpenMetrics first, the text format as a fallback.
ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
OPENMETRICS = "application/openmetrics-text"
_TYPE_LINE = re.compile(r"^#\s+TYPE\s+(\S+)\s+counter\s*$", re.M)
_WITH_CREATED = ("counter", "histogram", "summary", "gaugehistogram")


class Unparsable(Exception):
    """An answer that is not a valid exposition; the message is one line."""


@dataclass(frozen=True)
class Sample:
    name: str
    labels: tuple[tuple[str, str], ...]  # sorted by label name

    @property
    def label_dict(self) -> dict[str, str]:
        return dict(self.labels)


@dataclass(frozen=True)
class Family:
    """One metric family as a query sees it; `_created` samples are left out (they are outside budgets)."""

    name: str  # the name its series are selected by: a counter's with `_total`, as exposed
    type: str  # counter, gauge, histogram, summary, ..., or unknown (untyped)
    unit: str  # OpenMetrics' `# UNIT`; empty in the text format
    samples: tuple[Sample, ...]

    @property
    def series(self) -> int:
        """Distinct series: a sample repeated with the same labels is one series in Prometheus."""
        return len(set(self.samples))


@dataclass(frozen=True)
class Exposition:
    source: str  # the URL (redacted) or "the registry"
    format: str  # "OpenMetrics", "text" or "registry"
    families: tuple[Family, ...]


def scrape(url: str, timeout: float, access: Access = NO_ACCESS) -> Exposition:
    """Fetch url, negotiating OpenMetrics, and parse it with prometheus_client's parser for its format."""
    answer = request(url, timeout, accept=ACCEPT, access=access)
    openmetrics = answer.content_type.strip().lower().startswith(OPENMETRICS)
    try:
        text = answer.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unparsable(f"{answer.url}: the exposition is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    return Exposition(answer.url, "OpenMetrics" if openmetrics else "text", parse(text, openmetrics, answer.url))


def parse(text: str, openmetrics: bool, source: str = "the exposition") -> tuple[Family, ...]:
    from prometheus_client import parser
    from prometheus_client.openmetrics import parser as om_parser

    try:
        if openmetrics:
            return families(om_parser.text_string_to_metric_families(text))  # type: ignore[no-untyped-call]
        # The text parser names a counter's family without `_total` and adds `_total` to samples that
        # lack it, so the TYPE lines tell which counters were exposed without the suffix.
        bare = {name for name in _TYPE_LINE.findall(text) if not name.endswith("_total")}
        return families(parser.text_string_to_metric_families(text), bare)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        fmt = "OpenMetrics" if openmetrics else "Prometheus text"
        detail = " ".join(str(exc).split()) or exc.__class__.__name__
        raise Unparsable(f"{source}: not a valid {fmt} exposition: {detail}"[:400]) from None


def collect(registry: Collector) -> Exposition:
    """The exposition a registry would serve, without a network round trip."""
    return Exposition("the registry", "registry", families(registry.collect()))


def families(metrics: Iterable[Metric], bare_counters: frozenset[str] | set[str] = frozenset()) -> tuple[Family, ...]:
    """prometheus_client's families as queries see them; the text format's `_created` gauges dropped."""
    metrics = list(metrics)
    created = {f"{m.name}_created" for m in metrics if m.type in _WITH_CREATED}
    out: dict[str, Family] = {}
    for m in metrics:
        kind = "unknown" if m.type == "untyped" else m.type
        if kind == "gauge" and m.name in created:
            continue  # the text format's own family for a counter's or histogram's _created
        bare = kind == "counter" and m.name in bare_counters
        samples = tuple(
            Sample(s.name.removesuffix("_total") if bare else s.name, tuple(sorted(s.labels.items())))
            for s in m.samples if s.name != f"{m.name}_created"
        )
        name = f"{m.name}_total" if kind == "counter" and not bare else m.name
        if name in out:  # the text parser yields every untyped sample as a family of its own
            samples = out[name].samples + samples
        out[name] = Family(name, out[name].type if name in out else kind, m.unit or "", samples)
    return tuple(out.values())
