"""Named faults a demo or an end-to-end test switches on in a running service and its traffic."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from jamdash.service.config import ServiceConfig, StoreKind

if TYPE_CHECKING:
    from jamdash.service.state import Service

Profile = Literal["healthy", "faulty"]

# The same names as the simulated traffic source of the end-to-end tests (tests/traffic_source.py).
FAULTS: dict[str, str] = {
    "process_failures": "half of the submitted work packages fail in one of their stages",
    "low_traffic": "almost no work packages, half of them failing (below the alerts' minimum rate)",
    "rate_limited": "one client keeps bursting past its per-minute rate limit",
    "cleanup_failures": "three cleanup runs of every four fail",
    "pending_high": "one worker only, and a flood of submissions fills the pending queue to its cap",
    "quota_surge": "most preimage uploads are oversize or of a refused media type",
    "slow_processing": "every stage takes a second, so a package takes about three",
}

PROFILES: dict[Profile, frozenset[str]] = {
    "healthy": frozenset(),
    # Everything that can be on at once: every dashboard panel and every plan alert shows.
    "faulty": frozenset(FAULTS) - {"low_traffic"},
}

SLOW_STAGE_SECONDS = 1.0
QUEUED_STAGE_SECONDS = 0.1
CLEANUP_FAILURE_RATIO = 0.75


def parse_faults(text: str) -> frozenset[str]:
    """Faults from a comma-separated list or a JSON array; ValueError names unknown ones."""
    text = text.strip()
    names = json.loads(text) if text.startswith("[") else [n.strip() for n in text.split(",")]
    faults = frozenset(str(n) for n in names if n)
    unknown = faults - FAULTS.keys()
    if unknown:
        raise ValueError(f"unknown faults {', '.join(sorted(unknown))}; known: {', '.join(sorted(FAULTS))}")
    return faults


def demo_config(store: StoreKind = "memory", dsn: str | None = None,
                cleanup_interval_seconds: float = 5.0) -> ServiceConfig:
    """The service configuration of demos and end-to-end tests: small limits that traffic reaches."""
    # 20 a minute: above a healthy client's ~12, and below what the bursty client gets accepted even
    # with the queue at its cap (whose refusals use no budget), so it still empties its bucket.
    return ServiceConfig(store=store, dsn=dsn, rate_limit_per_minute=20, max_preimage_bytes=64 * 1024,
                         max_pending_packages=40, cleanup_interval_seconds=cleanup_interval_seconds,
                         retention_seconds=120.0, stage_delay_seconds=0.005, workers=4, fault_injection=True)


@dataclass
class FaultSwitch:
    """The active faults: their service-side part is applied to the service; the traffic reads the rest."""

    faults: frozenset[str] = frozenset()

    def apply(self, svc: Service, faults: frozenset[str]) -> None:
        """Switch to exactly these faults (an empty set is healthy)."""
        config = svc.config
        delay = config.stage_delay_seconds
        if "pending_high" in faults:
            delay = max(delay, QUEUED_STAGE_SECONDS)
        if "slow_processing" in faults:
            delay = max(delay, SLOW_STAGE_SECONDS)
        svc.worker.stage_delay = delay
        # One worker fills the queue; with slow stages every worker is needed to keep packages moving
        # (the bursty client of rate_limited must get enough accepted to empty its bucket).
        svc.worker.active = 1 if "pending_high" in faults and "slow_processing" not in faults else config.workers
        svc.cleanup.failure_ratio = 1.0 if config.cleanup_fault else (
            CLEANUP_FAILURE_RATIO if "cleanup_failures" in faults else 0.0)
        self.faults = faults
