"""generated/docs/telemetry.md: the log consumers' catalogue of log events, with what is deprecated marked."""

from __future__ import annotations

import re

from conftest import SPEC
from goldenkit import GOLDEN
from test_docs_metrics import anchors, sections

from jamdash.generate import docs_telemetry, generate_all
from jamdash.pipeline import build

LINK = re.compile(r"\]\((metrics\.md)?#([^)\s]+)\)")


def _text(spec: str) -> str:
    result = build(spec)
    assert result.model is not None, result.findings
    return dict(docs_telemetry.generate(result.model))["docs/telemetry.md"]


def test_every_event_of_the_repository_spec_has_its_fields_in_logged_order() -> None:
    result = build(str(SPEC))
    assert result.model is not None and result.model.telemetry is not None
    files = generate_all(result.model)
    text = files["docs/telemetry.md"]
    found = sections(text)
    assert list(found) == [e.name for e in result.model.telemetry.events]
    for event in result.model.telemetry.events:
        names = re.findall(r"^  - `(\w+)` \(", found[event.name], flags=re.M)
        assert names == [f.name for f in event.fields], event.name
    process = found["package_process"]
    assert "- **Level:** info (warning when `error` is set)" in process
    assert "  - `error` (error_text, may be null): Why processing failed" in process
    assert "`reason` (enum): Which limit rejected the request; one of `rate_limit`, `pending_cap`, `too_large`, " \
           "`unsupported_media`; anything else logs as `other`." in found["limit_reject"]
    assert "keyed hash (HMAC-SHA256), 16 hex characters" in found["package_submit"]
    assert "(deprecated)" not in text and "Deprecated" not in text
    for page, anchor in LINK.findall(text):  # every link opens a heading of metrics.md or of this page
        assert anchor in anchors(files["docs/metrics.md"] if page else text), anchor


def test_deprecated_events_and_fields_are_marked_in_the_index_and_their_sections() -> None:
    text = _text(str(GOLDEN / "python_telemetry" / "deprecated" / "metrics_spec.yaml"))
    assert "| [`job_done`](#job_done) | info | `job_id`, `worker` (deprecated), `queue` (deprecated) |" in text
    assert "| [`job_started`](#job_started) (deprecated) | info | `job_id` |" in text
    found = sections(text)
    assert "- **Deprecated: Read job_done instead.**\n- **Level:** info" in found["job_started"]
    assert ("  - `worker` (identifier): The worker that ran it; text, cut to 128 characters (then `…`), control "
            "characters escaped. **Deprecated until 2027-03-31: Workers are anonymous now.**") in found["job_done"]
    assert "  - `queue` (identifier, may be null): text, cut to 128 characters (then `…`), control characters " \
           "escaped. **Deprecated: One queue only.**" in found["job_done"]
    assert "Deprecated" not in found["job_done"].split("- **Fields:**")[0]  # the event itself is current


def test_no_events_means_no_page() -> None:
    result = build(str(GOLDEN / "generate" / "minimal" / "metrics_spec.yaml"))
    assert result.model is not None and list(docs_telemetry.generate(result.model)) == []
