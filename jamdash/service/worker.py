"""The processing worker: refine → attest → accumulate, one package at a time."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from jamdash.service.config import ServiceConfig
from jamdash.service.generated import JamMetrics
from jamdash.service.store import Store, StoreError
from jamdash.service.store.base import Attestation, Outcome, Package, Report, StageName

log = logging.getLogger("jamdash.service.worker")

_NODE_KEY = b"jam-reference-node"
"""The key the reference guarantors sign with: a stand-in for a validator's key."""


class StageFailure(Exception):
    """A processing stage failed; the package fails with this message."""

    def __init__(self, stage: StageName, message: str) -> None:
        super().__init__(message)
        self.stage = stage


class Worker:
    """Claims pending packages from the store and processes them until cancelled."""

    def __init__(self, store: Store, config: ServiceConfig, metrics: JamMetrics) -> None:
        self.store = store
        self.config = config
        self.metrics = metrics
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """A package was submitted: stop waiting for the next poll."""
        self._wake.set()

    async def run(self, poll_seconds: float = 0.5) -> None:
        """Process packages until cancelled; wait for a wake-up or a poll when none is pending."""
        while True:
            try:
                package = await self.store.claim_pending()
            except StoreError as exc:
                log.warning("worker: cannot claim a package: %s", exc)
                await asyncio.sleep(1.0)
                continue
            if package is None:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), poll_seconds)
                except TimeoutError:
                    pass
                continue
            await self.process(package)

    async def process(self, package: Package) -> Outcome:
        """Run the three stages, record the outcome and count it."""
        store = self.store.kind
        started = time.perf_counter()
        try:
            async with self._stage(package, "refine"):
                digest = await self.refine(package)
            async with self._stage(package, "attest"):
                attestations = await self.attest(package, digest)
            async with self._stage(package, "accumulate"):
                report = await self.accumulate(package, digest, attestations)
            outcome = Outcome("done", datetime.now(UTC), attestations=attestations, report=report)
        except StageFailure as failure:
            outcome = Outcome("failed", datetime.now(UTC), error=f"{failure.stage}: {failure}")
            self.metrics.jam_package_process_fail_total[store, failure.stage].inc()
        try:
            pending = await self.store.finish_package(package.id, outcome)
        except StoreError as exc:
            # Left 'processing': the next start requeues it (PostgresStore.open).
            log.warning("worker: cannot record the outcome of %s: %s", package.id, exc)
            return outcome
        self.metrics.jam_package_pending_gauge[store].set(pending)
        self.metrics.jam_package_process_total[store].inc()
        self.metrics.jam_package_process_duration_seconds[store].observe(time.perf_counter() - started)
        if outcome.status == "done":
            self.metrics.jam_attestations_total[store].inc(len(outcome.attestations))
            self.metrics.jam_reports_total[store].inc()
        return outcome

    @asynccontextmanager
    async def _stage(self, package: Package, stage: StageName) -> AsyncIterator[None]:
        """Time one stage; turn an injected fault or any error inside it into a StageFailure."""
        started = time.perf_counter()
        try:
            if self.config.stage_delay_seconds:
                await asyncio.sleep(self.config.stage_delay_seconds)
            if package.fault == stage:
                raise StageFailure(stage, "injected fault")
            yield
        except StageFailure:
            raise
        except Exception as exc:  # a bug in a stage fails its package, not the worker
            log.exception("worker: %s failed on %s", stage, package.id)
            raise StageFailure(stage, f"{type(exc).__name__}: {exc}") from exc
        finally:
            self.metrics.jam_package_stage_duration_seconds[stage].observe(time.perf_counter() - started)

    async def refine(self, package: Package) -> str:
        """The work result's digest: the payload with every referenced preimage, which must exist."""
        digest = hashlib.sha256(f"{package.service_id}:{package.payload}".encode())
        for hash in package.preimages:
            try:
                preimage = await self.store.get_preimage(hash)
            except StoreError as exc:
                raise StageFailure("refine", f"cannot read preimage {hash}: {exc}") from exc
            if preimage is None or preimage.data is None:
                raise StageFailure("refine", f"missing preimage {hash}")
            digest.update(preimage.data)
        return digest.hexdigest()

    async def attest(self, package: Package, digest: str) -> tuple[Attestation, ...]:
        """One attestation per guarantor: its signature over the digest."""
        return tuple(
            Attestation(package.id, g, hmac.new(_NODE_KEY + bytes([g]), digest.encode(), "sha256").hexdigest())
            for g in range(self.config.guarantors))

    async def accumulate(self, package: Package, digest: str, attestations: tuple[Attestation, ...]) -> Report:
        """The report of the package's attested result."""
        return Report(package.id, package.service_id, digest, len(attestations), datetime.now(UTC))
