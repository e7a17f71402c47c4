"""The processing worker: refine → attest → accumulate, a few packages at a time."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from jamdash.service.config import ServiceConfig
from jamdash.service.generated import JamMetrics, Scope, Telemetry
from jamdash.service.store import Store, StoreError
from jamdash.service.store.base import EXHAUSTED, Attestation, Finished, Outcome, Package, Report, StageName

log = logging.getLogger("jamdash.service.worker")

_NODE_KEY = b"jam-reference-guarantor"
"""The key the reference guarantor signs with: a stand-in for a validator's key."""


class StageFailure(Exception):
    """A processing stage failed; the package fails with this message."""

    def __init__(self, stage: StageName, message: str) -> None:
        super().__init__(message)
        self.stage = stage


class Worker:
    """Claims pending packages from the store and processes them until cancelled.

    ``stage_delay`` (simulated work per stage) and ``active`` (how many of the ``workers``
    loops claim packages) start from the configuration and may be changed while running.

    An outcome the store cannot take is retried until it is recorded, so a store outage
    delays packages but loses none. A package claimed longer ago than the processing lease
    goes back to pending (a claim whose reply was lost, a worker or a replica that died): the
    only way a package goes back, as another replica may be processing it; ``stuck()`` says
    when a package has been in this worker's hands longer than that. A package whose lease
    expires on its ``max_processing_attempts``-th claim fails instead (attempts_exhausted):
    one that crashes the replica processing it must not take down replica after replica.
    """

    def __init__(self, store: Store, config: ServiceConfig, metrics: JamMetrics, telemetry: Telemetry) -> None:
        self.store = store
        self.config = config
        self.metrics = metrics
        self.telemetry = telemetry
        self.stage_delay = config.stage_delay_seconds
        self.active = config.workers
        self._wake = asyncio.Event()
        self._in_hand: dict[str, float] = {}  # package id -> monotonic time it was claimed

    def stuck(self) -> bool:
        """Whether a package has been claimed and not recorded for longer than the processing lease."""
        now = time.monotonic()
        return any(now - claimed > self.config.processing_lease_seconds for claimed in self._in_hand.values())

    def wake(self) -> None:
        """A package was submitted: stop waiting for the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Run the configured number of processing loops until cancelled."""
        async with asyncio.TaskGroup() as group:
            for index in range(self.config.workers):
                group.create_task(self._loop(index))
            group.create_task(self._requeue())

    async def _requeue(self) -> None:
        """Put packages whose lease expired back to pending, a few times per lease; fail those out of attempts."""
        lease = self.config.processing_lease_seconds
        while True:
            await asyncio.sleep(min(lease / 4, 5.0))
            try:
                expired = await self.store.requeue_expired(lease, self.config.max_processing_attempts)
            except StoreError as exc:
                log.warning("worker: cannot requeue expired packages: %s", exc)
                continue
            if expired.requeued:
                log.warning("worker: %d packages claimed over %gs ago went back to pending", expired.requeued, lease)
                self.wake()
            if expired.exhausted:
                await self._exhausted(expired.exhausted)

    async def _exhausted(self, packages: tuple[Package, ...]) -> None:
        """Report packages the store failed because their lease expired on their last attempt.

        They take the path of any failed package: the package_process event (its error, and
        attempts_exhausted as the failed stage on the failure counter) and the pending gauge.
        No duration is observed: nothing measured how long the lost attempts ran.
        """
        for package in packages:
            log.warning("worker: package %s failed: its processing lease expired on each of its %d attempts",
                        package.id, package.attempts)
            self.telemetry.package_process(pkg_id=package.id, service_id=str(package.service_id),
                                           duration_ms=math.nan, error=package.error, failed_stage=EXHAUSTED)
        try:
            self.metrics.jam_package_pending_gauge[self.store.kind].set(await self.store.pending_count())
        except StoreError as exc:  # the next package processed sets it
            log.warning("worker: cannot count the pending packages: %s", exc)

    async def _loop(self, index: int, poll_seconds: float = 0.5) -> None:
        while True:
            package = None
            if index < self.active:
                try:
                    package = await self.store.claim_pending()
                except StoreError as exc:
                    log.warning("worker: cannot claim a package: %s", exc)
                    await asyncio.sleep(1.0)
                    continue
            if package is not None:
                self._in_hand[package.id] = time.monotonic()
                try:
                    await self.process(package)
                except Exception:  # keep processing the others; the lease requeues the package
                    log.exception("worker: processing %s failed unexpectedly", package.id)
                finally:
                    self._in_hand.pop(package.id, None)
                continue
            self._wake.clear()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
            # that arrives with the wake-up, and the worker would never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll_seconds):
                    await self._wake.wait()

    async def process(self, package: Package) -> Outcome:
        """Run the three stages in the jam.process span, record the outcome, emit package_process."""
        carrier = {"traceparent": package.traceparent} if package.traceparent else {}
        telemetry = self.telemetry
        with telemetry.incoming(carrier), \
                telemetry.span_process(pkg_id=package.id, service_id=str(package.service_id)) as process:
            started = time.perf_counter()
            failed: StageFailure | None = None
            attestations: tuple[Attestation, ...] = ()
            report: Report | None = None
            try:
                async with self._stage(package, "refine", process.refine()):
                    digest = await self.refine(package)
                async with self._stage(package, "attest", process.attest()):
                    attestations = (await self.attest(package, digest),)
                async with self._stage(package, "accumulate", process.accumulate()):
                    report = await self.accumulate(package, digest, attestations)
            except StageFailure as failure:
                failed = failure
            outcome = Outcome("done" if failed is None else "failed", datetime.now(UTC),
                              error=None if failed is None else f"{failed.stage}: {failed}",
                              attestations=attestations, report=report)
            finished = await self._record(package, outcome)
            self.metrics.jam_package_pending_gauge[self.store.kind].set(finished.pending)
            if not finished.recorded:  # another worker recorded it after the lease expired
                return outcome
            telemetry.package_process(pkg_id=package.id, service_id=str(package.service_id),
                                      duration_ms=(time.perf_counter() - started) * 1000, error=outcome.error,
                                      failed_stage=None if failed is None else failed.stage)
        return outcome

    async def _record(self, package: Package, outcome: Outcome, retry_seconds: float = 0.5) -> Finished:
        """Record the outcome, retrying every retry_seconds while the store does not answer."""
        failures = 0
        while True:
            try:
                finished = await self.store.finish_package(package.id, outcome)
            except StoreError as exc:
                if not failures:
                    log.warning("worker: cannot record the outcome of %s yet (retrying): %s", package.id, exc)
                failures += 1
                await asyncio.sleep(retry_seconds)
                continue
            if failures:
                log.warning("worker: recorded the outcome of %s after %d failed attempts", package.id, failures)
            return finished

    @asynccontextmanager
    async def _stage(self, package: Package, stage: StageName, span: Scope) -> AsyncIterator[None]:
        """Run one stage in its span; an injected fault or any error inside it becomes a StageFailure."""
        with span:
            try:
                if self.stage_delay:
                    await asyncio.sleep(self.stage_delay)
                if package.fault == stage:
                    raise StageFailure(stage, "injected fault")
                yield
            except StageFailure:
                raise
            except Exception as exc:  # a bug in a stage fails its package, not the worker
                log.exception("worker: %s failed on %s", stage, package.id)
                raise StageFailure(stage, f"{type(exc).__name__}: {exc}") from exc

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

    async def attest(self, package: Package, digest: str) -> Attestation:
        """The guarantor's attestation: its signature over the digest."""
        return Attestation(package.id, 0, hmac.new(_NODE_KEY, digest.encode(), "sha256").hexdigest())

    async def accumulate(self, package: Package, digest: str, attestations: tuple[Attestation, ...]) -> Report:
        """The report of the package's attested result."""
        return Report(package.id, package.service_id, digest, len(attestations), datetime.now(UTC))
