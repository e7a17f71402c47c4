"""Concurrent submits lose nothing: every package is stored or refused, and the counters agree."""

from __future__ import annotations

from collections import Counter

import anyio
import pytest
from jamservice import running

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("store", ["memory", "postgres"])
async def test_concurrent_submits_are_each_stored_or_refused(request: pytest.FixtureRequest, store: str) -> None:
    dsn = request.getfixturevalue("pg_cluster").create_database() if store == "postgres" else None
    config = ServiceConfig(store=store, dsn=dsn, rate_limit_per_minute=8, max_pending_packages=60,  # type: ignore[arg-type]
                           stage_delay_seconds=0.2, cleanup_enabled=False)
    answers: Counter[int] = Counter()
    accepted: list[str] = []
    by_token: dict[int, list[int]] = {}
    async with running(config) as jam:

        async def client(token: int) -> None:
            for n in range(10):
                response = await jam.submit(token=f"token-{token}", service_id=n % 3)
                answers[response.status_code] += 1
                by_token.setdefault(token, []).append(response.status_code)
                if response.status_code == 202:
                    accepted.append(response.json()["id"])

        async with anyio.create_task_group() as group:
            for token in range(20):
                group.start_soon(client, token)

        assert sum(answers.values()) == 200 and set(answers) <= {202, 429, 503}
        assert answers[503] > 0  # 160 within the rate limit, 60 pending at most
        for statuses in by_token.values():  # 8 accepted a minute; a 503 refusal uses none of them
            assert statuses.count(202) <= 8
            assert all(statuses[:i].count(202) == 8 for i, s in enumerate(statuses) if s == 429)
        submitted = sum(jam.sample("jam_package_submit_total", store=store, service_id=str(s)) for s in range(3))
        assert submitted == answers[202] == len(set(accepted))
        assert jam.sample("jam_rate_limit_hits_total", endpoint="package_submit") == answers[429]
        assert jam.sample("jam_pending_cap_hits_total", store=store) == answers[503]
        stored = {p.id for p in await jam.svc.store.list_packages(500)}
        assert stored == set(accepted)
        assert jam.sample("jam_http_requests_total", endpoint="package_submit", code_class="2xx") == answers[202]
