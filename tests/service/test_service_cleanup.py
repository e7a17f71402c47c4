"""The cleanup runner deletes what is older than the retention cutoff and counts it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from jamservice import running, sha

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio


async def test_a_run_deletes_old_records_and_counts_them() -> None:
    async with running(ServiceConfig(retention_seconds=60, cleanup_interval_seconds=600)) as jam:
        await jam.put(b"old preimage")
        await jam.submit()
        await jam.drained()
        await jam.first_cleanup()
        nothing = await jam.svc.cleanup.run_once()
        assert nothing is not None and (nothing.packages, nothing.reports, nothing.preimages) == (0, 0, 0)
        before = time.time()
        counts = await jam.svc.cleanup.run_once(now=datetime.now(UTC) + timedelta(seconds=61))
        assert counts is not None and (counts.packages, counts.reports, counts.preimages) == (1, 1, 1)
        assert await jam.svc.store.list_packages(10) == []
        assert jam.sample("jam_cleanup_runs_total", store="memory") == 3
        assert jam.sample("jam_cleanup_deleted_packages_total", store="memory") == 1
        assert jam.sample("jam_cleanup_deleted_reports_total", store="memory") == 1
        assert jam.sample("jam_cleanup_deleted_preimages_total", store="memory") == 1
        assert jam.sample("jam_cleanup_last_success_timestamp_seconds", store="memory") >= before
        assert jam.sample("jam_cleanup_failures_total", store="memory") == 0


async def test_a_failing_run_deletes_nothing_and_is_counted() -> None:
    config = ServiceConfig(retention_seconds=60, cleanup_interval_seconds=600, cleanup_fault=True)
    async with running(config) as jam:
        await jam.put(b"kept")
        await jam.first_cleanup()
        assert await jam.svc.cleanup.run_once(now=datetime.now(UTC) + timedelta(hours=1)) is None
        assert jam.svc.cleanup.last_error == "injected cleanup fault"
        assert jam.svc.cleanup.last_success is None
        assert await jam.svc.store.get_preimage(sha(b"kept")) is not None
        assert jam.sample("jam_cleanup_failures_total", store="memory") == 2  # with the start-up run
        assert jam.sample("jam_cleanup_deleted_preimages_total", store="memory") == 0
        assert jam.sample("jam_cleanup_last_success_timestamp_seconds", store="memory") == 0

