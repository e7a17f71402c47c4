"""/jam/healthz: 503 with reasons when PostgreSQL is down or cleanup is behind, 200 when they recover."""

from __future__ import annotations

import time

import pytest
from jamservice import running
from pg import PostgresServer

from jamdash.service.app import create_app
from jamdash.service.config import ServiceConfig
from jamdash.service.generated import CLEANUP_INTERVAL_SECONDS

pytestmark = pytest.mark.anyio


async def test_healthz_turns_503_while_postgresql_is_stopped_and_200_when_it_returns(
        pg_cluster: PostgresServer) -> None:
    config = ServiceConfig(store="postgres", dsn=pg_cluster.create_database(), cleanup_enabled=False)
    async with running(config) as jam:
        assert (await jam.client.get("/jam/healthz")).json() == {"status": "ok", "reasons": []}
        pg_cluster.stop()
        try:
            down = await jam.client.get("/jam/healthz")
            assert down.status_code == 503
            assert down.json() == {"status": "unavailable", "reasons": ["store_unreachable"]}
            refused = await jam.submit()
            assert (refused.status_code, refused.json()["error"]) == (503, "store_unavailable")
            assert jam.sample("jam_package_submit_total", store="postgres", service_id="1") == 0
        finally:
            pg_cluster.start()
        up = await jam.client.get("/jam/healthz")
        assert (up.status_code, up.json()) == (200, {"status": "ok", "reasons": []})
        assert (await jam.submit()).status_code == 202
        assert jam.sample("jam_http_requests_total", endpoint="healthz", code_class="5xx") == 1
        assert jam.sample("jam_http_requests_total", endpoint="healthz", code_class="2xx") == 2


async def test_healthz_turns_503_when_cleanup_has_not_succeeded_within_its_interval() -> None:
    async with running(ServiceConfig(cleanup_interval_seconds=30)) as jam:
        await jam.first_cleanup()
        assert (await jam.client.get("/jam/healthz")).status_code == 200
        jam.svc.cleanup.last_success = time.time() - CLEANUP_INTERVAL_SECONDS - 121  # past interval + grace
        behind = await jam.client.get("/jam/healthz")
        assert (behind.status_code, behind.json()) == (503, {"status": "unavailable", "reasons": ["cleanup_stale"]})
        jam.svc.cleanup.failure_ratio = 1.0
        await jam.svc.cleanup.run_once()
        assert (await jam.client.get("/jam/healthz")).status_code == 503  # a failed run is no success
        jam.svc.cleanup.failure_ratio = 0.0
        await jam.svc.cleanup.run_once()
        assert (await jam.client.get("/jam/healthz")).status_code == 200


def test_a_cleanup_interval_longer_than_the_health_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="expects a run at least every"):
        create_app(ServiceConfig(cleanup_interval_seconds=CLEANUP_INTERVAL_SECONDS + 1))


async def test_cleanup_runs_at_start_up() -> None:
    async with running(ServiceConfig(cleanup_interval_seconds=600)) as jam:
        await jam.first_cleanup()
        assert jam.svc.cleanup.last_success is not None
