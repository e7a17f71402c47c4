"""Stores behind one interface: `memory` (the default) and `postgres`."""

from __future__ import annotations

from jamdash.service.config import ServiceConfig
from jamdash.service.store.base import Store, StoreError
from jamdash.service.store.memory import MemoryStore

__all__ = ["Store", "StoreError", "open_store"]


async def open_store(config: ServiceConfig) -> Store:
    """The store the configuration names, connected and ready."""
    if config.store == "postgres":
        # Imported here so the default memory store never loads psycopg (start-up laziness, not a cycle).
        from jamdash.service.store.postgres import PostgresStore

        assert config.dsn is not None  # ServiceConfig checks it
        return await PostgresStore.open(config.dsn, config.store_timeout_seconds,
                                         config.health_timeout_seconds)
    return MemoryStore()
