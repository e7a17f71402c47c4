"""Shared pieces of the generated-telemetry tests (and benchmarks/telemetry.py): a host config, captured logs, sample event calls."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any


@dataclass
class HostConfig:
    """What a host app's configuration looks like to the generated module (StatusConfig)."""

    enabled: bool = True
    store: str = "memory"
    rate_limit_per_minute: int = 120
    max_preimage_bytes: int = 1 << 20
    max_pending_packages: int = 100
    cleanup_enabled: bool = True


class Captured(logging.Handler):
    """Every record on the 'jam' logger, formatted as a host's plain handler would print it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def text(self) -> str:
        return "\n".join(self.format(r) for r in self.records)

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r.getMessage()) for r in self.records]


# One valid call per declared event; test_every_event_is_sampled keeps this in step with the spec.
SAMPLES: dict[str, dict[str, Any]] = {
    "package_submit": {"pkg_id": "pkg-1", "service_id": "svc-1", "token": "tok-secret-1", "pending_count": 3},
    "package_process": {"pkg_id": "pkg-1", "service_id": "svc-1", "duration_ms": 12.5,
                        "error": "refine failed", "failed_stage": "refine"},
    "preimage_upload": {"hash": "ab" * 32, "size": b"\x00blob-body\xff", "media_type": "text/plain",
                        "token": b"tok-secret-2"},
    "limit_reject": {"token": "tok-secret-3", "reason": "rate_limit", "limit": 120, "endpoint": "package_submit"},
    "cleanup_run": {"cutoff": 1_700_000_000.0, "deleted_counts": {"packages": 1, "reports": 2, "preimages": 3},
                    "duration_ms": 4.25},
}
