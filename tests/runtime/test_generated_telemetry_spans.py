"""Spans of the generated jam_telemetry module, recorded by the OpenTelemetry SDK's in-memory exporter."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SPEC
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from telemetry_support import SAMPLES, Captured, HostConfig

from jamdash.pipeline import build
from jamdash.model.telemetry import Span, Telemetry as TelemetryModel

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_ID = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"
ARGUMENTS = {"hash": "ab" * 32, "pkg_id": "pkg-1", "service_id": "svc-1"}


@pytest.fixture(scope="module")
def model() -> TelemetryModel:
    result = build(str(SPEC))
    assert result.model is not None and result.model.telemetry is not None
    return result.model.telemetry


@pytest.fixture
def jam(generated_python: Path) -> ModuleType:
    return importlib.import_module("jam_telemetry")


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def logs() -> Iterator[Captured]:
    handler = Captured()
    logger = logging.getLogger("jam")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


def traced(jam: ModuleType, exporter: InMemorySpanExporter, tracing: bool = True) -> tuple[Any, Any]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    metrics = importlib.import_module("jam_metrics").JamMetrics.fresh()
    return jam.Telemetry(metrics, HostConfig(), hash_key="k", tracing=tracing, tracer_provider=provider), metrics


def open_span(tel: Any, span: Span) -> Any:
    args = {a.name: ARGUMENTS[a.name] for a in span.attributes if a.fixed is None and not a.constant}
    return getattr(tel, span.short)(**args)


def expected_attributes(span: Span) -> dict[str, object]:
    return {a.key: a.fixed or ("memory" if a.constant else ARGUMENTS[a.name]) for a in span.attributes}


def test_each_declared_span_has_its_name_attributes_and_children(
        jam: ModuleType, exporter: InMemorySpanExporter, model: TelemetryModel) -> None:
    tel, _ = traced(jam, exporter)
    for span in model.spans:
        with open_span(tel, span) as scope:
            for child in span.children:
                with getattr(scope, child.short)():
                    pass
    finished = {s.name: s for s in exporter.get_finished_spans()}
    declared = [s for top in model.spans for s in (top, *top.children)]
    assert sorted(finished) == sorted(s.name for s in declared)
    for top in model.spans:
        parent = finished[top.name]
        assert parent.parent is None
        assert dict(parent.attributes or {}) == expected_attributes(top)
        for child in top.children:
            recorded = finished[child.name]
            assert recorded.parent is not None and recorded.parent.span_id == parent.context.span_id
            assert recorded.context.trace_id == parent.context.trace_id
            assert dict(recorded.attributes or {}) == expected_attributes(child)


def test_spans_update_their_paired_metrics_traced_or_not(jam: ModuleType, exporter: InMemorySpanExporter) -> None:
    for tracing in (True, False):
        tel, m = traced(jam, exporter, tracing)
        with tel.span_preimage_get(hash="h"):
            pass
        with pytest.raises(KeyError), tel.span_preimage_head(hash="h"):
            raise KeyError("missing")
        with tel.span_process(pkg_id="p", service_id="s") as process:
            with process.refine(), process.attest(), process.accumulate():
                pass
        with tel.span_preimage_put():
            pass
        registry = m.registry
        assert registry.get_sample_value("jam_preimage_get_total", {"store": "memory"}) == 1
        assert registry.get_sample_value("jam_preimage_head_total", {"store": "memory"}) == 0, "failed exits not counted"
        assert registry.get_sample_value("jam_attestations_total", {"store": "memory"}) == 1
        assert registry.get_sample_value("jam_reports_total", {"store": "memory"}) == 1
        for stage in ("refine", "attest", "accumulate"):
            assert registry.get_sample_value("jam_package_stage_duration_seconds_count", {"stage": stage}) == 1
        assert registry.get_sample_value("jam_preimage_put_duration_seconds_count", {"store": "memory"}) == 1


def test_an_exception_marks_the_span_as_an_error(jam: ModuleType, exporter: InMemorySpanExporter) -> None:
    tel, _ = traced(jam, exporter)
    with pytest.raises(RuntimeError), tel.span_package_list():
        raise RuntimeError("boom")
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]


def test_off_spans_record_nothing_and_are_shared(jam: ModuleType, exporter: InMemorySpanExporter) -> None:
    tel, _ = traced(jam, exporter, tracing=False)
    assert not tel.tracing
    assert tel.span_package_list() is tel.span_package_get(pkg_id="p")
    assert tel.span_process(pkg_id="p", service_id="s") is tel.span_process(pkg_id="q", service_id="t")
    assert tel.span_preimage_get(hash="a") is tel.span_preimage_get(hash="b"), "counter-only spans share one object"
    with tel.span_package_list(), tel.span_process(pkg_id="p", service_id="s") as process, process.refine():
        pass
    assert exporter.get_finished_spans() == ()


def test_tracing_follows_the_environment_variable(jam: ModuleType, exporter: InMemorySpanExporter,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jam.TRACING_ENV, "1")
    assert traced(jam, exporter, tracing=None)[0].tracing
    monkeypatch.setenv(jam.TRACING_ENV, "0")
    assert not traced(jam, exporter, tracing=None)[0].tracing


def test_events_inside_a_span_carry_its_trace_and_span_ids(
        jam: ModuleType, exporter: InMemorySpanExporter, logs: Captured) -> None:
    tel, _ = traced(jam, exporter)
    for name, kwargs in SAMPLES.items():
        with tel.span_package_list():
            getattr(tel, name)(**kwargs)
        span: ReadableSpan = exporter.get_finished_spans()[-1]
        record = logs.events()[-1]
        assert record["event"] == name
        assert record["trace_id"] == format(span.context.trace_id, "032x")
        assert record["span_id"] == format(span.context.span_id, "016x")
    tel.package_submit(**SAMPLES["package_submit"])
    assert "trace_id" not in logs.events()[-1]


def test_incoming_traceparent_continues_the_callers_trace(jam: ModuleType, exporter: InMemorySpanExporter) -> None:
    tel, _ = traced(jam, exporter)
    outgoing: dict[str, str] = {}
    with tel.incoming({"traceparent": TRACEPARENT}), tel.span_package_get(pkg_id="p"):
        tel.inject(outgoing)
    (span,) = exporter.get_finished_spans()
    assert format(span.context.trace_id, "032x") == TRACE_ID
    assert span.parent is not None and format(span.parent.span_id, "016x") == PARENT_ID
    assert outgoing["traceparent"] == f"00-{TRACE_ID}-{format(span.context.span_id, '016x')}-01"


def test_without_tracing_traceparent_passes_through(
        jam: ModuleType, exporter: InMemorySpanExporter, logs: Captured) -> None:
    tel, _ = traced(jam, exporter, tracing=False)
    outgoing: dict[str, str] = {}
    with tel.incoming({"traceparent": TRACEPARENT}):
        tel.inject(outgoing)
        tel.package_submit(**SAMPLES["package_submit"])
    assert outgoing == {"traceparent": TRACEPARENT}
    assert logs.events()[-1]["trace_id"] == TRACE_ID
    after: dict[str, str] = {}
    tel.inject(after)
    assert after == {}


@pytest.mark.parametrize("header", ["garbage", f"00-{'0' * 32}-{PARENT_ID}-01", f"ff-{TRACE_ID}-{PARENT_ID}-01",
                                    f"00-{TRACE_ID}-{PARENT_ID}-01\r\nx: y", f"{TRACEPARENT}\n",
                                    f"{TRACEPARENT}-" + "x" * 600])
def test_an_invalid_traceparent_is_not_passed_through(jam: ModuleType, exporter: InMemorySpanExporter,
                                                      header: str) -> None:
    tel, _ = traced(jam, exporter, tracing=False)
    outgoing: dict[str, str] = {}
    with tel.incoming({"traceparent": header}):
        tel.inject(outgoing)
    assert outgoing == {}
