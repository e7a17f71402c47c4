"""One change between two specs: its id, whether it breaks readers, and whether the spec acknowledges it."""

from __future__ import annotations

from dataclasses import dataclass

from jamdash import codes
from jamdash.findings import ERROR, Finding, Position

BREAKING_STATUS, ACKNOWLEDGED, SAFE = "breaking", "acknowledged", "safe"
WAIVED = "waived for this metric in the spec"


@dataclass(frozen=True)
class Change:
    """One difference between the base and the working spec."""

    kind: codes.Code  # a COMPAT code: it says whether the change breaks readers
    subject: str  # the metric, "label KEY" for a change to a label's values, "alert NAME", "dashboard UID", ...
    message: str
    position: Position  # in the working spec
    acknowledged: str = ""  # why a breaking change is accepted, if it is
    affects: tuple[str, ...] = ()  # alerts and dashboards, described

    @property
    def status(self) -> str:
        if not self.kind.breaking:
            return SAFE
        return ACKNOWLEDGED if self.acknowledged else BREAKING_STATUS

    def finding(self, path: str) -> Finding:
        severity = ERROR if self.status == BREAKING_STATUS else "note"
        return Finding.at(path, self.position, self.kind, self.message, severity)


def blocking(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.status == BREAKING_STATUS]
