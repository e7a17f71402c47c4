"""The resolved Alertmanager side of the alerts: a receiver per severity, grouping and inhibit rules."""

from __future__ import annotations


from jamdash.model.deployment import Matcher
from jamdash.record import frozen


@frozen
class Inhibit:
    """While an alert matching `source` fires, alerts matching `target` with the same `equal` labels are muted."""

    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]


@frozen
class Routing:
    """The service's route subtree: its alerts (matched by their job), grouped, sent to a receiver per severity."""

    matchers: tuple[Matcher, ...]
    group_by: tuple[str, ...]
    receivers: tuple[tuple[str, str], ...]  # (severity, receiver), every severity
    silent: str  # the receiver without notifications, for severities the spec routes nowhere
    inhibits: tuple[Inhibit, ...]

    @property
    def receiver_names(self) -> tuple[str, ...]:
        return tuple(sorted({self.silent, *(name for _, name in self.receivers)}))
