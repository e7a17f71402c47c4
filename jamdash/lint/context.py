"""What a lint rule sees: the spec, where things are, and how to report respecting waivers."""

from __future__ import annotations

import difflib
from functools import cached_property

from jamdash.findings import ERROR, Finding
from jamdash.load.source import Path, SourceMap
from jamdash.model.metrics import Label, Metric
from jamdash.record import frozen
from jamdash.resolve.metrics import resolve_labels, resolve_metrics
from jamdash.spec import Spec


@frozen
class LintContext:
    """The spec being linted. When entries failed the shape check, they are missing from spec and
    listed in dropped; rules that need the whole spec (budgets, unused labels) then stay quiet."""

    spec: Spec
    source: SourceMap
    dropped: frozenset[Path] = frozenset()

    @cached_property
    def labels(self) -> dict[str, Label]:
        """The declared labels as resolve builds them (values, cardinality, overflow value)."""
        return resolve_labels(self.spec)

    @cached_property
    def metrics(self) -> dict[str, Metric]:
        """The metrics as resolve builds them, series budgets and the overflow self-metric included."""
        return {m.name: m for m in resolve_metrics(self.spec, self.labels, self.source, declared_only=True)}

    @property
    def complete(self) -> bool:
        return not self.dropped

    def is_dropped(self, path: Path) -> bool:
        """True when path, or a section above it, was left out because of a shape error."""
        return any(path[:n] in self.dropped for n in range(1, len(path) + 1))

    def unknown_metric(self, name: str) -> bool:
        """True when name is neither declared nor left out for its own shape error (whose finding is
        the one that matters: follow-ups of a dropped entry are not reported)."""
        return name not in self.spec.metrics and not self.is_dropped(("metrics", name))

    def did_you_mean(self, name: str) -> str:
        """'; did you mean 'x'?' for the declared metric closest to a misspelt name, else ''."""
        close = difflib.get_close_matches(name, list(self.spec.metrics), n=1, cutoff=0.6)
        return f"; did you mean '{close[0]}'?" if close else ""

    def at(self, path: Path, rule: str, message: str, severity: str = ERROR) -> Finding:
        """A finding at the value found at path."""
        return Finding.at(self.source.path, self.source.value(path), rule, message, severity)

    def at_key(self, path: Path, rule: str, message: str, severity: str = ERROR) -> Finding:
        """A finding at the mapping key that names path."""
        return Finding.at(self.source.path, self.source.key(path), rule, message, severity)

    def waived(self, metric: str, rule: str) -> bool:
        raw = self.spec.metrics.get(metric)
        return raw is not None and any(w.rule == rule for w in raw.waivers)
