"""The one small interface every store implements, and the records it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, Protocol

from jamdash.service.config import StoreKind

PackageStatus = Literal["pending", "processing", "done", "failed"]
StageName = Literal["refine", "attest", "accumulate"]
UNFINISHED: tuple[PackageStatus, ...] = ("pending", "processing")
"""Statuses of packages accepted but not yet processed: what the pending cap counts."""


class StoreError(Exception):
    """The store could not be reached or failed to answer."""


@dataclass(frozen=True)
class Finished:
    """What finishing a package did: whether this outcome was recorded, and the unfinished count after.

    ``recorded`` is False when the package had already finished (another worker recorded it
    after a lease expired), so its outcome must not be counted twice.
    """

    recorded: bool
    pending: int


EXHAUSTED: Final = "attempts_exhausted"
"""The failed stage, and the prefix of the error, of a package whose lease expired on its last attempt."""
EXHAUSTED_ERROR = (EXHAUSTED + ": the processing lease expired on each of its {} attempts; "
                   "the package may crash or stall the replica that processes it")
"""The error of such a package, ``{}`` its number of attempts (claims)."""


@dataclass(frozen=True)
class Cursor:
    """Where a page of the package list ended: the last package's creation time and id."""

    created_at: datetime
    id: str


@dataclass(frozen=True)
class Preimage:
    """A blob addressed by the sha256 of its bytes; ``data`` is None when only metadata was read."""

    hash: str
    media_type: str
    size: int
    created_at: datetime
    data: bytes | None = None


@dataclass(frozen=True)
class Package:
    """A work package as submitted, with its processing state."""

    id: str
    service_id: int
    payload: str
    preimages: tuple[str, ...]
    status: PackageStatus
    created_at: datetime
    fault: StageName | None = None
    error: str | None = None
    finished_at: datetime | None = None
    traceparent: str | None = None
    """The submitter's W3C trace context, so processing continues the submit's trace."""
    attempts: int = 0
    """How many times a worker claimed the package (each claim is one attempt)."""


@dataclass(frozen=True)
class Attestation:
    """One guarantor's attestation of a package's work result."""

    package_id: str
    guarantor: int
    signature: str


@dataclass(frozen=True)
class Report:
    """The accumulated result of a processed package."""

    package_id: str
    service_id: int
    digest: str
    attestations: int
    created_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What processing produced: attestations and a report, or the error that failed it."""

    status: Literal["done", "failed"]
    finished_at: datetime
    error: str | None = None
    attestations: tuple[Attestation, ...] = ()
    report: Report | None = None


@dataclass(frozen=True)
class PackageDetail:
    """A package with the attestations and report processing produced."""

    package: Package
    attestations: tuple[Attestation, ...]
    report: Report | None


@dataclass(frozen=True)
class Expired:
    """What one check of the processing leases did.

    ``requeued`` packages went back to pending; the ``exhausted`` ones had used their last
    attempt and failed (status ``failed``, their error ``EXHAUSTED_ERROR``).
    """

    requeued: int
    exhausted: tuple[Package, ...] = ()


@dataclass(frozen=True)
class CleanupCounts:
    """How many records one cleanup run deleted."""

    packages: int = 0
    reports: int = 0
    preimages: int = 0


class Store(Protocol):
    """Where preimages, packages, attestations and reports live. Every method may raise StoreError."""

    kind: StoreKind

    async def ping(self) -> None:
        """Return when the store answers; raise StoreError when it does not."""

    async def put_preimage(self, preimage: Preimage) -> bool:
        """Store a preimage (with data); False when that hash was already stored."""

    async def get_preimage(self, hash: str, with_data: bool = True) -> Preimage | None:
        """The preimage with that hash, its data left out unless with_data."""

    async def submit_package(self, package: Package, max_pending: int) -> int | None:
        """Store a pending package unless max_pending are unfinished; the unfinished count after, or None."""

    async def list_packages(self, limit: int, status: PackageStatus | None = None,
                            after: Cursor | None = None) -> list[Package]:
        """The newest packages first, optionally only those with one status, and only older than after."""

    async def get_package(self, package_id: str) -> PackageDetail | None:
        """A package with its attestations and report."""

    async def claim_pending(self) -> Package | None:
        """Mark the oldest pending package as processing (claimed now, one more attempt) and return it.

        None when none is pending.
        """

    async def requeue_expired(self, lease_seconds: float, max_attempts: int) -> Expired:
        """Put back to pending the packages claimed over lease_seconds ago; fail those claimed max_attempts times.

        The only way a package goes back to pending: a store never requeues one when it opens,
        since another replica sharing the database may be processing it. A package that has
        used its attempts fails instead, with ``EXHAUSTED_ERROR``: one that crashes the
        replica processing it would otherwise take down replica after replica.
        """

    async def finish_package(self, package_id: str, outcome: Outcome) -> Finished:
        """Record a processing outcome with its attestations and report, unless the package already finished."""

    async def pending_count(self) -> int:
        """Packages accepted but not yet processed."""

    async def cleanup(self, cutoff: datetime) -> CleanupCounts:
        """Delete finished packages, reports and preimages created before cutoff."""

    async def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
