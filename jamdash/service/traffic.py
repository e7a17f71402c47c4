"""A bounded traffic generator: healthy JAM clients over HTTP, plus the traffic side of the active faults."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Callable

import httpx

from jamdash.service.faults import FaultSwitch

log = logging.getLogger("jamdash.service.traffic")

TICK = 0.1
"""Seconds between scheduling rounds."""

HEALTHY_RATES = {"upload": 3.0, "read": 4.0, "head": 2.0, "submit": 2.0, "list": 1.0, "get": 1.0,
                 "status": 0.2, "healthz": 0.2}
"""Requests per second of each healthy action."""

STAGES = ("refine", "attest", "accumulate")


def rates(faults: frozenset[str]) -> dict[str, float]:
    """Requests per second of each action under these faults."""
    plan = dict(HEALTHY_RATES)
    if "low_traffic" in faults:
        plan["submit"] = 0.02
    if "quota_surge" in faults:
        plan.update(oversize=3.0, wrong_type=3.0)
    if "rate_limited" in faults:
        plan["burst"] = 8.0
    if "pending_high" in faults:
        plan["flood"] = 10.0
    return plan


class TrafficGenerator:
    """Sends traffic to one service until ``duration`` seconds or ``max_requests`` requests have passed.

    The faults are read from ``switch`` every round, so they can change while it runs.
    ``transport`` replaces the network (tests pass httpx.ASGITransport to reach an app in process).
    ``answers`` counts the responses by action and status (0 for a transport error).
    """

    def __init__(self, base_url: str, switch: FaultSwitch, *, duration: float | None = 1800.0,
                 max_requests: int | None = 200_000, seed: int = 1, concurrency: int = 32,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url
        self.transport = transport
        self.switch = switch
        self.duration = duration
        self.max_requests = max_requests
        self.answers: Counter[tuple[str, int]] = Counter()
        self.requests = 0
        self._rng = random.Random(seed)
        self._slots = asyncio.Semaphore(concurrency)
        self._carry: dict[str, float] = {}
        self._hashes: deque[str] = deque(maxlen=64)  # recent: older ones may be cleaned up
        self._packages: deque[str] = deque(maxlen=64)
        self._limits: dict[str, int] = {}
        self._flood_until = 0.0  # the flood honours Retry-After: it waits after a 503 until then

    async def run(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Send traffic until a bound is reached or stop() says so; waits for requests in flight."""
        deadline = None if self.duration is None else time.monotonic() + self.duration
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10.0, transport=self.transport) as client:
            self._limits = (await client.get("/system/status")).json()["jam"]
            tasks: set[asyncio.Task[None]] = set()
            last = time.monotonic()
            while not stop() and (deadline is None or time.monotonic() < deadline):
                now = time.monotonic()
                elapsed, last = min(now - last, 1.0), now  # rates hold on a busy machine, without bursts
                for action, per_second in rates(self.switch.faults).items():
                    if action == "flood" and now < self._flood_until:
                        continue
                    for _ in range(self._due(action, per_second * elapsed)):
                        if self.max_requests is not None and self.requests >= self.max_requests:
                            break
                        self.requests += 1
                        task = asyncio.create_task(self._send(client, action))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                if self.max_requests is not None and self.requests >= self.max_requests:
                    break
                await asyncio.sleep(TICK)
            if tasks:
                await asyncio.wait(tasks, timeout=10.0)
        log.info("traffic stopped after %d requests", self.requests)

    def _due(self, action: str, expected: float) -> int:
        """Whole requests due this round, carrying the fraction to the next."""
        total = self._carry.get(action, 0.0) + expected
        self._carry[action] = total - int(total)
        return int(total)

    async def _send(self, client: httpx.AsyncClient, action: str) -> None:
        async with self._slots:
            try:
                response = await getattr(self, f"_{action}")(client)
            except httpx.HTTPError:
                self.answers[action, 0] += 1
                return
            self.answers[action, response.status_code] += 1

    async def _put(self, client: httpx.AsyncClient, data: bytes, media_type: str, token: str) -> httpx.Response:
        return await client.put(f"/jam/preimages/{hashlib.sha256(data).hexdigest()}", content=data,
                                headers={"content-type": media_type, "authorization": f"Bearer {token}"})

    async def _upload(self, client: httpx.AsyncClient) -> httpx.Response:
        size = min(int(self._rng.lognormvariate(8, 1.5)) + 16, self._limits["max_preimage_bytes"])
        data = self._rng.randbytes(size)
        media_type = self._rng.choice(["application/octet-stream", "application/json", "text/plain"])
        response = await self._put(client, data, media_type, f"client-{self._rng.randrange(5)}")
        if response.status_code in (200, 201):
            self._hashes.append(hashlib.sha256(data).hexdigest())
        return response

    async def _oversize(self, client: httpx.AsyncClient) -> httpx.Response:
        data = self._rng.randbytes(self._limits["max_preimage_bytes"] + 1 + self._rng.randrange(4096))
        return await self._put(client, data, "application/octet-stream", "uploader")

    async def _wrong_type(self, client: httpx.AsyncClient) -> httpx.Response:
        data = self._rng.randbytes(self._rng.randrange(64, 4096))
        return await self._put(client, data, self._rng.choice(["image/png", "video/mp4"]), "uploader")

    async def _read(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(f"/jam/preimages/{self._known_hash()}")

    async def _head(self, client: httpx.AsyncClient) -> httpx.Response:
        unknown = self._rng.random() < 0.2 or not self._hashes
        hash = hashlib.sha256(self._rng.randbytes(8)).hexdigest() if unknown else self._known_hash()
        return await client.head(f"/jam/preimages/{hash}")

    def _known_hash(self) -> str:
        return self._rng.choice(self._hashes) if self._hashes else "0" * 64

    async def _submit_as(self, client: httpx.AsyncClient, token: str) -> httpx.Response:
        faults = self.switch.faults
        package: dict[str, object] = {"service_id": self._rng.randrange(1, 9), "payload": f"work-{self.requests}",
                                      "preimages": self._rng.sample(list(self._hashes), min(2, len(self._hashes)))}
        if faults & {"process_failures", "low_traffic"} and self._rng.random() < 0.5:
            package["fault"] = self._rng.choice(STAGES)
        response = await client.post("/jam/packages", json=package, headers={"authorization": f"Bearer {token}"})
        if response.status_code == 202:
            self._packages.append(response.json()["id"])
        return response

    async def _submit(self, client: httpx.AsyncClient) -> httpx.Response:
        # Ten clients at ~12 submissions a minute each: well within the demo's 20 a minute.
        return await self._submit_as(client, f"client-{self._rng.randrange(10)}")

    async def _burst(self, client: httpx.AsyncClient) -> httpx.Response:
        return await self._submit_as(client, "bursty-client")

    async def _flood(self, client: httpx.AsyncClient) -> httpx.Response:
        response = await self._submit_as(client, f"flood-{self._rng.randrange(40)}")
        if response.status_code == 503:  # the queue is at its cap: the flood waits as told, the others go on
            self._flood_until = time.monotonic() + float(response.headers.get("retry-after", "1"))
        return response

    async def _list(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/jam/packages", params={"limit": 20})

    async def _get(self, client: httpx.AsyncClient) -> httpx.Response:
        package_id = self._rng.choice(self._packages) if self._packages else "0" * 32
        return await client.get(f"/jam/packages/{package_id}")

    async def _status(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/system/status")

    async def _healthz(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/jam/healthz")
