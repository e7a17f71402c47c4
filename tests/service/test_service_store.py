"""The store contract: the memory store and a real PostgreSQL store pass the same tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import anyio
import pytest
from pg import PostgresServer

from jamdash.service.store import Store
from jamdash.service.store.base import (
    EXHAUSTED_ERROR,
    Attestation,
    Cursor,
    Expired,
    Finished,
    Outcome,
    Package,
    Preimage,
    Report,
)
from jamdash.service.store.memory import MemoryStore
from jamdash.service.store.postgres import PostgresStore

pytestmark = pytest.mark.anyio

T0 = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["memory", "postgres"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    opened: Store
    if request.param == "memory":
        opened = MemoryStore()
    else:
        cluster: PostgresServer = request.getfixturevalue("pg_cluster")
        opened = await PostgresStore.open(cluster.create_database())
    yield opened
    await opened.close()


def package(n: int, at: datetime = T0, **fields: object) -> Package:
    return Package(id=f"{n:032x}", service_id=n, payload=f"p{n}", preimages=(), status="pending",
                   created_at=at + timedelta(seconds=n), **fields)  # type: ignore[arg-type]


def done(package_id: str, at: datetime = T0, guarantors: int = 2) -> Outcome:
    return Outcome("done", at, attestations=tuple(Attestation(package_id, g, f"sig{g}") for g in range(guarantors)),
                   report=Report(package_id, 1, "d" * 64, guarantors, at))


async def test_ping_answers(store: Store) -> None:
    await store.ping()


async def test_a_preimage_is_stored_once_and_read_back(store: Store) -> None:
    image = Preimage("a" * 64, "text/plain", 3, T0, b"abc")
    assert await store.put_preimage(image) is True
    assert await store.put_preimage(image) is False
    assert await store.get_preimage("a" * 64) == image
    meta = await store.get_preimage("a" * 64, with_data=False)
    assert meta is not None and (meta.data, meta.size, meta.media_type) == (None, 3, "text/plain")
    assert await store.get_preimage("b" * 64) is None


async def test_submit_counts_unfinished_and_refuses_past_the_cap(store: Store) -> None:
    assert await store.submit_package(package(1), max_pending=2) == 1
    assert await store.submit_package(package(2, traceparent="00-" + "1" * 32 + "-" + "2" * 16 + "-01"), 2) == 2
    assert await store.submit_package(package(3), max_pending=2) is None
    assert await store.get_package(package(3).id) is None
    assert await store.pending_count() == 2
    detail = await store.get_package(package(2).id)
    assert detail is not None and detail.package == package(2, traceparent="00-" + "1" * 32 + "-" + "2" * 16 + "-01")


async def test_concurrent_submits_never_overshoot_the_cap(store: Store) -> None:
    results: list[int | None] = []

    async def submit(n: int) -> None:
        results.append(await store.submit_package(package(n), max_pending=10))

    async with anyio.create_task_group() as group:
        for n in range(30):
            group.start_soon(submit, n)
    assert sum(r is not None for r in results) == 10
    assert sorted(r for r in results if r is not None) == list(range(1, 11))
    assert len(await store.list_packages(100)) == 10


async def test_list_is_newest_first_with_limit_and_status(store: Store) -> None:
    for n in (1, 2, 3):
        await store.submit_package(package(n), 10)
    await store.claim_pending()
    assert [p.service_id for p in await store.list_packages(10)] == [3, 2, 1]
    assert [p.service_id for p in await store.list_packages(2)] == [3, 2]
    assert [p.service_id for p in await store.list_packages(10, "processing")] == [1]
    assert [p.service_id for p in await store.list_packages(10, "pending")] == [3, 2]


async def test_claims_take_the_oldest_pending_package_once(store: Store) -> None:
    await store.submit_package(package(2), 10)
    await store.submit_package(package(1), 10)
    first, second = await store.claim_pending(), await store.claim_pending()
    assert first is not None and (first.service_id, first.status) == (1, "processing")
    assert second is not None and second.service_id == 2
    assert await store.claim_pending() is None
    assert await store.pending_count() == 2  # processing still counts as not yet processed


async def test_a_finished_package_keeps_its_attestations_and_report(store: Store) -> None:
    await store.submit_package(package(1), 10)
    await store.submit_package(package(2), 10)
    claimed = await store.claim_pending()
    assert claimed is not None
    assert await store.finish_package(claimed.id, done(claimed.id, T0 + timedelta(minutes=1))) == Finished(True, 1)
    detail = await store.get_package(claimed.id)
    assert detail is not None
    assert (detail.package.status, detail.package.error) == ("done", None)
    assert detail.package.finished_at == T0 + timedelta(minutes=1)
    assert [a.signature for a in detail.attestations] == ["sig0", "sig1"]
    assert detail.report == Report(claimed.id, 1, "d" * 64, 2, T0 + timedelta(minutes=1))


async def test_a_failed_package_records_its_error_and_nothing_else(store: Store) -> None:
    await store.submit_package(package(1), 10)
    claimed = await store.claim_pending()
    assert claimed is not None
    assert await store.finish_package(claimed.id, Outcome("failed", T0, error="attest: boom")) == Finished(True, 0)
    detail = await store.get_package(claimed.id)
    assert detail is not None
    assert (detail.package.status, detail.package.error, detail.attestations, detail.report) == \
        ("failed", "attest: boom", (), None)


async def test_cleanup_deletes_only_what_is_older_than_the_cutoff(store: Store) -> None:
    old, new = T0, T0 + timedelta(hours=2)
    cutoff = T0 + timedelta(hours=1)
    await store.put_preimage(Preimage("a" * 64, "text/plain", 1, old, b"a"))
    await store.put_preimage(Preimage("b" * 64, "text/plain", 1, new, b"b"))
    for n, at in ((1, old), (2, old), (3, new)):
        await store.submit_package(package(n, at), 10)
    for _ in range(3):
        claimed = await store.claim_pending()
        assert claimed is not None
        await store.finish_package(claimed.id, done(claimed.id, claimed.created_at))
    await store.submit_package(package(4, old), 10)  # old but unfinished: kept
    counts = await store.cleanup(cutoff)
    assert (counts.packages, counts.reports, counts.preimages) == (2, 2, 1)
    assert sorted(p.service_id for p in await store.list_packages(10)) == [3, 4]
    assert await store.get_preimage("a" * 64) is None
    assert await store.get_preimage("b" * 64) is not None
    assert await store.cleanup(cutoff) == type(counts)()


async def test_a_claim_past_its_lease_goes_back_to_pending_and_is_recorded_once(store: Store) -> None:
    await store.submit_package(package(1), 10)
    lost = await store.claim_pending()  # as if the reply of this claim never reached its worker
    assert lost is not None
    assert await store.requeue_expired(lease_seconds=60, max_attempts=3) == Expired(0)  # claimed just now
    await anyio.sleep(0.05)
    assert await store.requeue_expired(lease_seconds=0.01, max_attempts=3) == Expired(1)
    assert [p.status for p in await store.list_packages(10)] == ["pending"]
    again = await store.claim_pending()
    assert again is not None and again.id == lost.id
    assert await store.finish_package(again.id, done(again.id)) == Finished(True, 0)
    assert await store.finish_package(lost.id, done(lost.id)) == Finished(False, 0)  # the late worker
    detail = await store.get_package(lost.id)
    assert detail is not None and [a.guarantor for a in detail.attestations] == [0, 1]


async def _expired(store: Store, max_attempts: int) -> Expired:
    """Wait until a claim's lease (10 ms) has expired and the store has acted on it; what it did."""
    with anyio.fail_after(30):
        while (expired := await store.requeue_expired(0.01, max_attempts)) == Expired(0):
            await anyio.sleep(0.01)
    return expired


async def test_a_package_whose_lease_expires_on_each_attempt_fails_after_the_last(store: Store) -> None:
    """Each claim counts an attempt; an expired lease puts the package back until its last attempt, whose
    expiry fails it (attempts_exhausted) instead: a package that crashes its replica stops there."""
    await store.submit_package(package(1), 10)
    for attempt in (1, 2):
        claimed = await store.claim_pending()
        assert claimed is not None and (claimed.status, claimed.attempts) == ("processing", attempt)
        assert await _expired(store, max_attempts=3) == Expired(1)
        assert [(p.status, p.attempts, p.error) for p in await store.list_packages(10)] == [("pending", attempt, None)]
    last = await store.claim_pending()
    assert last is not None and last.attempts == 3
    expired = await _expired(store, max_attempts=3)
    assert expired.requeued == 0 and [p.id for p in expired.exhausted] == [last.id]
    failed = expired.exhausted[0]
    assert (failed.status, failed.attempts, failed.error) == ("failed", 3, EXHAUSTED_ERROR.format(3))
    assert failed.error is not None and failed.error.startswith("attempts_exhausted: ")
    assert failed.finished_at is not None
    detail = await store.get_package(last.id)
    assert detail is not None and detail.package == failed and detail.report is None
    assert await store.pending_count() == 0
    assert await store.claim_pending() is None
    assert await store.requeue_expired(0.01, max_attempts=3) == Expired(0)
    # The replica that held the last claim comes back after all: its outcome is not recorded.
    assert await store.finish_package(last.id, done(last.id)) == Finished(False, 0)
    assert (await store.list_packages(10))[0].status == "failed"


async def test_a_package_is_done_on_its_last_attempt_and_the_count_is_per_package(store: Store) -> None:
    for n in (1, 2):
        await store.submit_package(package(n), 10)
    first = await store.claim_pending()
    assert first is not None and first.id == package(1).id
    assert await _expired(store, max_attempts=2) == Expired(1)
    again, other = await store.claim_pending(), await store.claim_pending()
    assert again is not None and other is not None
    assert [(again.id, again.attempts), (other.id, other.attempts)] == [(first.id, 2), (package(2).id, 1)]
    assert await store.finish_package(again.id, done(again.id)) == Finished(True, 1)
    assert await _expired(store, max_attempts=2) == Expired(1)  # the other has attempts left
    assert [(p.status, p.attempts) for p in await store.list_packages(10)] == [("pending", 1), ("done", 2)]


async def test_list_pages_with_a_cursor_without_gaps_or_repeats(store: Store) -> None:
    for n in range(1, 8):
        await store.submit_package(package(n, T0 if n % 2 else T0 - timedelta(seconds=n)), 10)
    everything = [p.id for p in await store.list_packages(100)]
    seen: list[str] = []
    after = None
    while True:
        page = await store.list_packages(3, after=after)
        if not page:
            break
        seen += [p.id for p in page]
        after = Cursor(page[-1].created_at, page[-1].id)
    assert seen == everything and len(seen) == 7
