"""The reference JAM service's configuration: limits, store, cleanup and fault injection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StoreKind = Literal["memory", "postgres"]

DSN_ENV = "JAM_DATABASE_URL"
"""The environment variable holding the PostgreSQL DSN when --dsn is not given."""

DEFAULT_MEDIA_TYPES = ("application/octet-stream", "application/json", "text/plain")


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service reads at start-up; one instance per app."""

    enabled: bool = True
    store: StoreKind = "memory"
    dsn: str | None = None
    rate_limit_per_minute: int = 120
    """Package submissions one token may make per minute."""
    max_preimage_bytes: int = 1024 * 1024
    max_package_bytes: int = 64 * 1024
    max_pending_packages: int = 100
    allowed_media_types: tuple[str, ...] = DEFAULT_MEDIA_TYPES
    cleanup_enabled: bool = True
    cleanup_interval_seconds: float = 300.0
    """At most the spec's health interval (jam_telemetry.CLEANUP_INTERVAL_SECONDS), or healthz fails."""
    retention_seconds: float = 3600.0
    """Cleanup deletes finished packages, reports and preimages older than this."""
    workers: int = 4
    """Packages processed at the same time."""
    processing_lease_seconds: float = 60.0
    """A package claimed longer ago than this and still processing goes back to pending."""
    max_processing_attempts: int = 3
    """Claims a package may have; when the lease of the last one expires it fails (attempts_exhausted)."""
    store_timeout_seconds: float = 5.0
    """The longest a store call may take, waiting for the connection included; then 503."""
    health_timeout_seconds: float = 1.0
    """The longest /jam/healthz waits for the store's answer; then 503 store_unreachable."""
    rate_limit_tokens: int = 10_000
    """Tokens the rate limiter remembers at most; past that the least recently seen is forgotten."""
    head_timeout_seconds: float = 10.0
    """The longest a client may take to send a request's line and headers (uvicorn, runner.py)."""
    body_timeout_seconds: float = 30.0
    """The longest a client may take to send a request's body; then 408."""
    keep_alive_seconds: int = 5
    """How long an idle keep-alive connection stays open (uvicorn)."""
    max_connections: int = 1000
    """Connections and requests served at once; past that uvicorn answers 503 (uvicorn)."""
    stage_delay_seconds: float = 0.0
    """Simulated work per processing stage, so queues and latencies are visible in a demo."""
    fault_injection: bool = False
    """Accept a package's "fault" field, which makes the named stage fail (demo and tests)."""
    cleanup_fault: bool = False
    """Make every cleanup run fail (demo and tests of the cleanup alerts)."""
    tracing: bool | None = None
    """Emit OpenTelemetry spans (needs opentelemetry); None leaves it to $JAM_TRACING."""
    log_hash_key: str | None = None
    """The HMAC key for token hashes in logs; None leaves it to $JAM_LOG_HASH_KEY."""

    def __post_init__(self) -> None:
        if self.store == "postgres" and not self.dsn:
            raise ValueError(f"the postgres store needs a DSN: pass --dsn or set {DSN_ENV}")
        for name in ("rate_limit_per_minute", "max_preimage_bytes", "max_package_bytes",
                     "max_pending_packages", "workers", "rate_limit_tokens", "max_connections",
                     "max_processing_attempts"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("cleanup_interval_seconds", "retention_seconds", "processing_lease_seconds",
                     "store_timeout_seconds", "health_timeout_seconds", "head_timeout_seconds",
                     "body_timeout_seconds", "keep_alive_seconds"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
