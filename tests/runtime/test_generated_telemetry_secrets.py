"""Property: whatever token and blob a host passes, neither ever reaches the log output."""

from __future__ import annotations

import base64
import importlib
import json
import logging
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from telemetry_support import Captured, HostConfig


def _strings(value: Any) -> list[str]:
    """Every string inside a decoded JSON record, keys included."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _forms(blob: bytes) -> list[str]:
    """How raw bytes could show up in text: decoded, hex, base64, repr."""
    return [blob.decode("utf-8", "replace"), blob.hex(), base64.b64encode(blob).decode(), repr(blob)[2:-1]]


def _run(tel: Any, token: str | bytes, blob: bytes) -> Captured:
    handler = Captured()
    logger = logging.getLogger("jam")
    logger.addHandler(handler)
    try:
        tel.package_submit(pkg_id="p", service_id="s", token=token, pending_count=1)
        tel.preimage_upload(hash="h", size=blob, media_type="application/octet-stream", token=token)
        tel.preimage_upload(hash="h", size=memoryview(blob), media_type="m", token=token, quota_hit="too_large")
        tel.limit_reject(token=token, reason="rate_limit", limit=1, endpoint="preimage_put")
        tel.package_process(pkg_id="p", service_id="s", duration_ms=1.0, error=ValueError(len(blob)))
    finally:
        logger.removeHandler(handler)
    return handler


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.one_of(st.text(min_size=6, max_size=80), st.binary(min_size=6, max_size=80)),
       blob=st.binary(min_size=6, max_size=4096))
def test_no_raw_token_or_blob_in_the_logs(generated_python: Path, token: str | bytes, blob: bytes) -> None:
    jam = importlib.import_module("jam_telemetry")
    metrics = importlib.import_module("jam_metrics").JamMetrics.fresh()
    logging.getLogger("jam").setLevel(logging.INFO)
    tel = jam.Telemetry(metrics, HostConfig(), hash_key="k", tracing=False)
    # What the records hold regardless of token and blob; a token that is a substring of that proves nothing.
    baseline = _run(tel, "\x00" * 6, b"\x01" * 6).text
    token_text = token.decode("utf-8", "replace") if isinstance(token, bytes) else token
    token_forms = [token_text] if isinstance(token, str) else _forms(token)
    blob_forms = _forms(blob)
    assume(not any(form in baseline for form in [*token_forms, *blob_forms]))

    captured = _run(tel, token, blob)
    text = captured.text
    decoded = [s for record in captured.events() for s in _strings(record)]
    for form in [*token_forms, *blob_forms]:
        assert form not in text
        assert not any(form in s for s in decoded)
    assert all(json.loads(r.getMessage()) for r in captured.records)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.one_of(st.binary(min_size=1, max_size=200), st.text(min_size=1, max_size=100)),
       token=st.one_of(st.binary(max_size=100), st.text(max_size=100)))
def test_token_hash_is_hmac_sha256_cut_to_the_documented_length(generated_python: Path, key: str | bytes,
                                                                 token: str | bytes) -> None:
    import hashlib
    import hmac

    jam = importlib.import_module("jam_telemetry")
    tel = jam.Telemetry(importlib.import_module("jam_metrics").JamMetrics(registry=None), HostConfig(),
                        hash_key=key, tracing=False)
    raw_key = key.encode() if isinstance(key, str) else key
    raw_token = token.encode() if isinstance(token, str) else token
    expected = hmac.new(raw_key, raw_token, hashlib.sha256).hexdigest()[:jam.HASH_LENGTH]
    assert tel._hash(token) == expected
    assert len(expected) == jam.HASH_LENGTH == 16
