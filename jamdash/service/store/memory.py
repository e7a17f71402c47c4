"""The default store: dictionaries in one process, lost on restart."""

from __future__ import annotations

import heapq
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from jamdash.service.config import StoreKind
from jamdash.service.store.base import (
    EXHAUSTED_ERROR,
    UNFINISHED,
    Attestation,
    CleanupCounts,
    Cursor,
    Expired,
    Finished,
    Outcome,
    Package,
    PackageDetail,
    PackageStatus,
    Preimage,
    Report,
    StoreError,
)


class MemoryStore:
    """Keeps everything in dictionaries.

    Methods never await while they change state, so on one event loop each call is atomic.
    """

    kind: StoreKind = "memory"

    def __init__(self) -> None:
        self._preimages: dict[str, Preimage] = {}
        self._packages: dict[str, Package] = {}
        self._attestations: dict[str, tuple[Attestation, ...]] = {}
        self._reports: dict[str, Report] = {}
        self._pending: set[str] = set()
        self._queue: list[tuple[datetime, str]] = []  # a heap of (created_at, id): the oldest first
        self._processing: dict[str, datetime] = {}  # id -> when it was claimed
        self._closed = False

    def _check(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed")

    async def ping(self) -> None:
        self._check()

    async def put_preimage(self, preimage: Preimage) -> bool:
        self._check()
        if preimage.hash in self._preimages:
            return False
        self._preimages[preimage.hash] = preimage
        return True

    async def get_preimage(self, hash: str, with_data: bool = True) -> Preimage | None:
        self._check()
        found = self._preimages.get(hash)
        if found is None or with_data:
            return found
        return replace(found, data=None)

    async def submit_package(self, package: Package, max_pending: int) -> int | None:
        self._check()
        if self._unfinished() >= max_pending:
            return None
        self._packages[package.id] = package
        self._pending.add(package.id)
        heapq.heappush(self._queue, (package.created_at, package.id))
        return self._unfinished()

    async def list_packages(self, limit: int, status: PackageStatus | None = None,
                            after: Cursor | None = None) -> list[Package]:
        self._check()
        chosen = [p for p in self._packages.values() if (status is None or p.status == status)
                  and (after is None or (p.created_at, p.id) < (after.created_at, after.id))]
        chosen.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        return chosen[:limit]

    async def get_package(self, package_id: str) -> PackageDetail | None:
        self._check()
        package = self._packages.get(package_id)
        if package is None:
            return None
        return PackageDetail(package, self._attestations.get(package_id, ()), self._reports.get(package_id))

    async def claim_pending(self) -> Package | None:
        self._check()
        while self._queue:
            _, package_id = heapq.heappop(self._queue)
            if package_id in self._pending:
                break
        else:
            return None
        self._pending.discard(package_id)
        self._processing[package_id] = datetime.now(UTC)
        package = self._packages[package_id]
        claimed = replace(package, status="processing", attempts=package.attempts + 1)
        self._packages[package_id] = claimed
        return claimed

    async def requeue_expired(self, lease_seconds: float, max_attempts: int) -> Expired:
        self._check()
        now = datetime.now(UTC)
        expired = now - timedelta(seconds=lease_seconds)
        stale = [k for k, claimed in self._processing.items() if claimed < expired]
        exhausted: list[Package] = []
        for package_id in stale:
            del self._processing[package_id]
            package = self._packages[package_id]
            if package.attempts >= max_attempts:
                package = replace(package, status="failed", error=EXHAUSTED_ERROR.format(package.attempts),
                                  finished_at=now)
                exhausted.append(package)
            else:
                package = replace(package, status="pending")
                self._pending.add(package_id)
                heapq.heappush(self._queue, (package.created_at, package_id))
            self._packages[package_id] = package
        return Expired(len(stale) - len(exhausted), tuple(exhausted))

    async def finish_package(self, package_id: str, outcome: Outcome) -> Finished:
        self._check()
        package = self._packages.get(package_id)
        recorded = package is not None and package.status in UNFINISHED
        if package is not None and recorded:
            self._pending.discard(package_id)
            self._processing.pop(package_id, None)
            self._packages[package_id] = replace(
                package, status=outcome.status, error=outcome.error, finished_at=outcome.finished_at)
            if outcome.attestations:
                self._attestations[package_id] = outcome.attestations
            if outcome.report is not None:
                self._reports[package_id] = outcome.report
        return Finished(recorded, self._unfinished())

    async def pending_count(self) -> int:
        self._check()
        return self._unfinished()

    async def cleanup(self, cutoff: datetime) -> CleanupCounts:
        self._check()
        reports = [k for k, r in self._reports.items() if r.created_at < cutoff]
        packages = [k for k, p in self._packages.items() if p.status not in UNFINISHED and p.created_at < cutoff]
        preimages = [k for k, p in self._preimages.items() if p.created_at < cutoff]
        for key in reports:
            del self._reports[key]
        for key in packages:
            del self._packages[key]
            self._attestations.pop(key, None)
            if self._reports.pop(key, None) is not None:
                reports.append(key)
        for key in preimages:
            del self._preimages[key]
        return CleanupCounts(packages=len(packages), reports=len(reports), preimages=len(preimages))

    async def close(self) -> None:
        self._closed = True

    def _unfinished(self) -> int:
        return len(self._pending) + len(self._processing)
