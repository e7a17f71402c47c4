"""The cleanup runner: every interval, deletes what is older than the retention cutoff."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from jamdash.service.config import ServiceConfig
from jamdash.service.generated import JamMetrics, Telemetry
from jamdash.service.store import Store, StoreError
from jamdash.service.store.base import CleanupCounts

log = logging.getLogger("jamdash.service.cleanup")


class CleanupRunner:
    """Runs ``store.cleanup`` at start-up and then every ``cleanup_interval_seconds``.

    A successful run emits the ``cleanup_run`` event (which counts the run, the deletions and
    the success time); a failed run counts itself in ``jam_cleanup_runs_total`` and
    ``jam_cleanup_failures_total``. ``failure_ratio`` (1 with ``cleanup_fault``) is the share of
    runs made to fail, spread evenly: 0.75 fails three runs of every four.
    """

    def __init__(self, store: Store, config: ServiceConfig, metrics: JamMetrics, telemetry: Telemetry) -> None:
        self.store = store
        self.config = config
        self.metrics = metrics
        self.telemetry = telemetry
        self.failure_ratio = 1.0 if config.cleanup_fault else 0.0
        self.runs = 0
        self.last_success: float | None = None
        """Unix time the last run finished successfully."""
        self.last_error: str | None = None

    async def run(self) -> None:
        """Run until cancelled."""
        while True:
            await self.run_once()
            await asyncio.sleep(self.config.cleanup_interval_seconds)

    async def run_once(self, now: datetime | None = None) -> CleanupCounts | None:
        """One run with the cutoff retention_seconds before now; None when it failed."""
        started = time.perf_counter()
        cutoff = (now or datetime.now(UTC)) - timedelta(seconds=self.config.retention_seconds)
        self.runs += 1
        try:
            if int(self.runs * self.failure_ratio) > int((self.runs - 1) * self.failure_ratio):
                raise StoreError("injected cleanup fault")
            counts = await self.store.cleanup(cutoff)
        except StoreError as exc:
            self.last_error = str(exc)
            self.metrics.jam_cleanup_runs_total[self.store.kind].inc()
            self.metrics.jam_cleanup_failures_total[self.store.kind].inc()
            log.warning("cleanup failed: %s", exc)
            return None
        self.last_success = time.time()
        self.last_error = None
        self.telemetry.cleanup_run(
            cutoff=cutoff, duration_ms=(time.perf_counter() - started) * 1000,
            deleted_counts={"packages": counts.packages, "reports": counts.reports, "preimages": counts.preimages})
        return counts
