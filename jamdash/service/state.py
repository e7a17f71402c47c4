"""What the routes of the running service share: the Service held in ``app.state.jam``."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry

from jamdash.service.cleanup import CleanupRunner
from jamdash.service.config import ServiceConfig
from jamdash.service.generated import JamMetrics, Telemetry
from jamdash.service.ratelimit import RateLimiter
from jamdash.service.store import Store
from jamdash.service.worker import Worker


@dataclass
class Service:
    """What the routes share while the app runs (``app.state.jam``)."""

    config: ServiceConfig
    registry: CollectorRegistry
    metrics: JamMetrics
    telemetry: Telemetry
    store: Store
    limiter: RateLimiter
    worker: Worker
    cleanup: CleanupRunner
