"""Every operation of the service emits its declared event and span, through the generated jam_telemetry."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from jamservice import TOKEN, running, sha
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from jamdash.service.config import ServiceConfig

pytestmark = pytest.mark.anyio

CONFIG = ServiceConfig(max_preimage_bytes=100, rate_limit_per_minute=3, max_pending_packages=50,
                       cleanup_interval_seconds=600, fault_injection=True, log_hash_key="test-key")
SECRET = "test-token"  # TOKEN's bearer token
INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class Events(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e for e in map(json.loads, self.lines) if e.get("event") == name]


@pytest.fixture
def events() -> Iterator[Events]:
    logger = logging.getLogger("jam")
    handler, level = Events(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_each_operation_emits_its_event_without_secrets_or_blobs(events: Events) -> None:
    blob = b"\x00very secret blob\xff"
    async with running(replace(CONFIG, stage_delay_seconds=0.3, max_pending_packages=2)) as jam:
        await jam.first_cleanup()
        assert (await jam.put(blob)).status_code == 201
        assert (await jam.put(b"x" * 101)).status_code == 413
        assert (await jam.put(b"<png>", "image/png")).status_code == 415
        ok = await jam.client.post("/jam/packages", json={"service_id": 4, "payload": "p"},
                                   headers={**TOKEN, "traceparent": INCOMING})
        failing = await jam.submit(fault="attest")
        capped = await jam.submit()  # refused by the cap: uses none of the three a minute
        await jam.drained()
        third = await jam.submit()
        limited = await jam.submit()
        assert [r.status_code for r in (ok, failing, capped, third, limited)] == [202, 202, 503, 202, 429]
        await jam.drained()

    uploads = events.named("preimage_upload")
    assert [(u["size"], u["quota_hit"], u["media_type"]) for u in uploads] == [
        (len(blob), None, "application/octet-stream"), (101, "too_large", "application/octet-stream"),
        (5, "unsupported_media", "image/png")]
    assert uploads[0]["hash"] == sha(blob) and uploads[0]["store"] == "memory"
    rejects = [(r["reason"], r["limit"]) for r in events.named("limit_reject")]
    assert rejects == [("too_large", 100), ("unsupported_media", 3), ("pending_cap", 2), ("rate_limit", 3)]
    submits = events.named("package_submit")
    assert [(s["service_id"], s["pending_count"]) for s in submits] == [("4", 1), ("1", 2), ("1", 1)]
    assert submits[0]["pkg_id"] == ok.json()["id"] and submits[0]["trace_id"] == INCOMING[3:35]
    processed = {p["pkg_id"]: p["error"] for p in events.named("package_process")}
    assert processed == {ok.json()["id"]: None, failing.json()["id"]: "attest: injected fault",
                         third.json()["id"]: None}
    assert all(p["duration_ms"] >= 600 for p in events.named("package_process") if p["error"] is None)
    cleanup = events.named("cleanup_run")
    assert cleanup and cleanup[0]["deleted_counts"] == {"packages": 0, "reports": 0, "preimages": 0}
    hashes = {e["token_hash"] for e in events.named("package_submit") + uploads}
    assert len(hashes) == 1 and len(hashes.pop()) == 16
    text = "\n".join(events.lines)
    assert SECRET not in text and "very secret blob" not in text


async def test_each_operation_runs_in_its_span_and_processing_continues_the_submit_trace(events: Events) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    async with running(replace(CONFIG, tracing=True), tracer_provider=provider) as jam:
        data = b"traced"
        await jam.put(data)
        await jam.client.get(f"/jam/preimages/{sha(data)}")
        await jam.client.head(f"/jam/preimages/{sha(data)}")
        submitted = await jam.client.post("/jam/packages", json={"service_id": 9, "payload": "p", "fault": "accumulate"},
                                          headers={**TOKEN, "traceparent": INCOMING})
        await jam.client.get("/jam/packages")
        await jam.client.get(submitted.json()["url"])
        await jam.drained()
    spans: dict[str, ReadableSpan] = {s.name: s for s in exporter.get_finished_spans()}
    assert set(spans) == {"jam.preimage.put", "jam.preimage.get", "jam.preimage.head", "jam.package.submit",
                          "jam.package.list", "jam.package.get", "jam.process", "jam.process.refine",
                          "jam.process.attest", "jam.process.accumulate"}
    submit, process = spans["jam.package.submit"], spans["jam.process"]
    assert format(submit.context.trace_id, "032x") == INCOMING[3:35]  # the caller's trace continues
    assert submit.attributes is not None and submit.attributes["jam.service_id"] == "9"
    assert process.parent is not None and process.parent.span_id == submit.context.span_id
    for stage in ("refine", "attest", "accumulate"):
        child = spans[f"jam.process.{stage}"]
        assert child.parent is not None and child.parent.span_id == process.context.span_id
    assert spans["jam.process.accumulate"].status.status_code == StatusCode.ERROR
    assert submitted.headers["traceparent"].split("-")[1] == INCOMING[3:35]
    submit_event = events.named("package_submit")[0]
    assert submit_event["span_id"] == format(submit.context.span_id, "016x")
    failed = events.named("package_process")[0]
    assert failed["error"] == "accumulate: injected fault" and failed["trace_id"] == INCOMING[3:35]
