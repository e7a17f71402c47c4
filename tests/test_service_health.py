"""/jam/healthz: 503 with reasons when PostgreSQL is down or cleanup is behind, 200 when they recover."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from jamservice import running
from pg import PostgresServer, pg_cluster  # noqa: F401  (pytest fixture)

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio


async def test_healthz_turns_503_while_postgresql_is_stopped_and_200_when_it_returns(
        pg_cluster: PostgresServer) -> None:
    config = ServiceConfig(store="postgres", dsn=pg_cluster.create_database(), cleanup_enabled=False)
    async with running(config) as jam:
        assert (await jam.client.get("/jam/healthz")).json() == {"status": "ok"}
        pg_cluster.stop()
        try:
            down = await jam.client.get("/jam/healthz")
            assert down.status_code == 503
            assert down.json()["status"] == "unhealthy"
            assert [r.split(":")[0] for r in down.json()["reasons"]] == ["store"]
            refused = await jam.submit()
            assert (refused.status_code, refused.json()["error"]) == (503, "store_unavailable")
            assert jam.sample("jam_package_submit_total", store="postgres", service_id="1") == 0
        finally:
            pg_cluster.start()
        up = await jam.client.get("/jam/healthz")
        assert (up.status_code, up.json()) == (200, {"status": "ok"})
        assert (await jam.submit()).status_code == 202
        assert jam.sample("jam_http_requests_total", endpoint="healthz", code_class="5xx") == 1
        assert jam.sample("jam_http_requests_total", endpoint="healthz", code_class="2xx") == 2


async def test_healthz_turns_503_when_cleanup_has_not_succeeded_within_its_interval() -> None:
    config = ServiceConfig(cleanup_interval_seconds=30, cleanup_fault=True)
    async with running(config) as jam:
        await jam.first_cleanup()
        assert (await jam.client.get("/jam/healthz")).status_code == 200  # within the first interval
        jam.svc.cleanup.started_at = time.time() - 61
        behind = await jam.client.get("/jam/healthz")
        assert behind.status_code == 503
        assert behind.json()["reasons"] == [
            "cleanup: no successful run recently (last error: injected cleanup fault)"]
        jam.svc.cleanup.config = replace(config, cleanup_fault=False)
        await jam.svc.cleanup.run_once()
        assert (await jam.client.get("/jam/healthz")).status_code == 200


async def test_cleanup_runs_at_start_up() -> None:
    async with running(ServiceConfig(cleanup_interval_seconds=3600)) as jam:
        await jam.first_cleanup()
        assert jam.svc.cleanup.last_success is not None
