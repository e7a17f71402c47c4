"""The worker's processing lease: a package held too long is requeued, healthz says so, and it counts once."""

from __future__ import annotations

import anyio
import pytest
from jamservice import running

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio


async def test_a_package_held_past_its_lease_is_reported_requeued_and_counted_once() -> None:
    config = ServiceConfig(cleanup_enabled=False, workers=2, stage_delay_seconds=0.5,
                           processing_lease_seconds=0.3)
    async with running(config) as jam:
        package_id = (await jam.submit()).json()["id"]
        with anyio.fail_after(10):
            while (health := await jam.client.get("/jam/healthz")).status_code == 200:
                await anyio.sleep(0.05)
        assert health.json() == {"status": "unavailable", "reasons": ["worker_stuck"]}
        await jam.drained(timeout=10)
        with anyio.fail_after(10):  # the loop that lost the race finishes too, and records nothing
            while jam.svc.worker.stuck() or (await jam.client.get("/jam/healthz")).status_code != 200:
                await anyio.sleep(0.05)
        detail = await jam.svc.store.get_package(package_id)
        assert detail is not None and detail.package.status == "done"
        assert len(detail.attestations) == 1
        assert jam.sample("jam_package_process_total", store="memory") == 1
        assert jam.sample("jam_attestations_total", store="memory") >= 1
        assert jam.sample("jam_package_pending_gauge", store="memory") == 0
