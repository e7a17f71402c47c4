"""The cleanup runner: every interval, deletes what is older than the retention cutoff."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from jamdash.service.config import ServiceConfig
from jamdash.service.generated import JamMetrics
from jamdash.service.store import Store, StoreError
from jamdash.service.store.base import CleanupCounts

log = logging.getLogger("jamdash.service.cleanup")


class CleanupRunner:
    """Runs ``store.cleanup`` at start-up and then every ``cleanup_interval_seconds``."""

    def __init__(self, store: Store, config: ServiceConfig, metrics: JamMetrics) -> None:
        self.store = store
        self.config = config
        self.metrics = metrics
        self.started_at = time.time()
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
        store = self.store.kind
        now = now or datetime.now(UTC)
        cutoff = now - timedelta(seconds=self.config.retention_seconds)
        self.metrics.jam_cleanup_runs_total[store].inc()
        try:
            if self.config.cleanup_fault:
                raise StoreError("injected cleanup fault")
            counts = await self.store.cleanup(cutoff)
        except StoreError as exc:
            self.last_error = str(exc)
            self.metrics.jam_cleanup_failures_total[store].inc()
            log.warning("cleanup failed: %s", exc)
            return None
        self.last_success = time.time()
        self.last_error = None
        self.metrics.jam_cleanup_deleted_packages_total[store].inc(counts.packages)
        self.metrics.jam_cleanup_deleted_reports_total[store].inc(counts.reports)
        self.metrics.jam_cleanup_deleted_preimages_total[store].inc(counts.preimages)
        self.metrics.jam_cleanup_last_success_timestamp_seconds[store].set(self.last_success)
        return counts

    def healthy(self, now: float | None = None) -> bool:
        """True while a run succeeded within the last two intervals (one missed run is tolerated).

        Before the first success, the start-up time stands in for it.
        """
        now = time.time() if now is None else now
        last = self.last_success if self.last_success is not None else self.started_at
        return now - last <= 2 * self.config.cleanup_interval_seconds
