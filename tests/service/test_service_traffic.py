"""The traffic generator: healthy traffic is answered without faults; each fault shows in the metrics."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import httpx
import pytest
from jamservice import Harness, running

from jamdash.service.faults import FAULTS, PROFILES, FaultSwitch, demo_config, parse_faults
from jamdash.service.traffic import TrafficGenerator

pytestmark = pytest.mark.anyio


async def _drive(jam: Harness, faults: frozenset[str], seconds: float) -> Counter[tuple[str, int]]:
    switch = FaultSwitch()
    switch.apply(jam.svc, faults)
    generator = TrafficGenerator("http://jam.test", switch, duration=seconds, max_requests=2000,
                                 transport=httpx.ASGITransport(app=jam.app))
    await generator.run()
    assert generator.requests > 8 * seconds
    return generator.answers


async def test_healthy_traffic_is_answered_without_faults() -> None:
    async with running(demo_config(cleanup_interval_seconds=0.5)) as jam:
        answers = await _drive(jam, PROFILES["healthy"], 2.0)
        await jam.drained()
    refused = {key: n for key, n in answers.items() if key[1] >= 400 and key not in {("head", 404), ("read", 404)}}
    assert not refused, refused
    assert {action for action, _ in answers} >= {"upload", "read", "head", "submit", "list", "get"}
    assert jam.sample("jam_package_process_total", store="memory") >= 3  # 2 submits/s
    for stage in ("refine", "attest", "accumulate"):
        assert jam.sample("jam_package_process_fail_total", store="memory", stage=stage) == 0
    assert jam.sample("jam_cleanup_failures_total", store="memory") == 0
    assert jam.sample("jam_cleanup_runs_total", store="memory") >= 2


async def test_faulty_traffic_shows_every_fault_in_the_metrics() -> None:
    config = replace(demo_config(cleanup_interval_seconds=0.2), rate_limit_per_minute=4, max_pending_packages=8)
    async with running(config) as jam:
        answers = await _drive(jam, PROFILES["faulty"], 3.0)
        fails = sum(jam.sample("jam_package_process_fail_total", store="memory", stage=s)
                    for s in ("refine", "attest", "accumulate"))
        assert fails > 0
        assert jam.sample("jam_preimage_quota_reject_total", reason="too_large") > 0
        assert jam.sample("jam_preimage_quota_reject_total", reason="unsupported_media") > 0
        assert jam.sample("jam_rate_limit_hits_total", endpoint="package_submit") > 0
        assert jam.sample("jam_pending_cap_hits_total", store="memory") > 0
        assert jam.sample("jam_package_pending_gauge", store="memory") >= 0.8 * 8
        assert jam.sample("jam_cleanup_failures_total", store="memory") > 0
        assert jam.sample("jam_cleanup_last_success_timestamp_seconds", store="memory") > 0  # one run in four
        assert jam.svc.worker.active == 4 and jam.svc.worker.stage_delay == 1.0  # slow: every worker
    assert answers["oversize", 413] and answers["wrong_type", 415] and answers["burst", 429]


def test_the_faulty_profile_is_every_fault_that_can_be_on_at_once() -> None:
    assert PROFILES["faulty"] == frozenset(FAULTS) - {"low_traffic"}
    assert parse_faults("rate_limited, quota_surge") == {"rate_limited", "quota_surge"}
    assert parse_faults('["pending_high"]') == {"pending_high"}
    assert parse_faults("") == frozenset()
    with pytest.raises(ValueError, match="unknown faults bogus"):
        parse_faults("bogus,rate_limited")
