"""Cache backends under test: the in-process one on a fake clock, and the real Redis.

Also: two replicas' connections to the shared Redis in one namespace of their own
(``two_connections``), and a private redis-server that a test may freeze, kill and
restart (``redis_server``).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from router.cache import CacheBackend, MemoryBackend, RedisBackend
from tests.support.redis_server import RedisServer
from tests.support.services import require

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class CacheUnderTest:
    """A backend, and how to let time pass for it (fake clock, or real sleeping)."""

    backend: CacheBackend
    advance: Callable[[float], Awaitable[None]]


def require_shared_redis() -> str:
    """The shared test Redis's URL; fails in CI, skips locally, when it is not up."""
    parts = urlsplit(REDIS_URL)
    require("Redis", parts.hostname or "127.0.0.1", parts.port or 6379)
    return REDIS_URL


def shared_backend() -> RedisBackend:
    """A RedisBackend on the shared Redis in a namespace of its own.

    These tests check what the backend does, not how fast: timeouts of a second keep a
    loaded machine from turning them into outages (the outage tests set their own).
    """
    return RedisBackend(
        require_shared_redis(),
        namespace=unique_namespace(),
        connect_timeout=1.0,
        command_timeout=1.0,
    )


def unique_namespace() -> str:
    """A key namespace no other test uses, so tests on the shared Redis never meet."""
    return f"fedtasks-test:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
async def shared_redis() -> AsyncIterator[RedisBackend]:
    """A RedisBackend on the shared Redis, in its own namespace, emptied afterwards."""
    backend = shared_backend()
    try:
        yield backend
    finally:
        await backend.clear()
        await backend.aclose()


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[CacheUnderTest]:
    """Each behavioural test runs on the in-process backend and on the real Redis."""
    if request.param == "memory":
        clock = FakeClock()

        async def tick(seconds: float) -> None:
            clock.advance(seconds)

        memory = MemoryBackend(max_entries=1000, clock=clock)
        yield CacheUnderTest(memory, tick)
        await memory.aclose()
        return
    backend = shared_backend()
    try:
        yield CacheUnderTest(backend, asyncio.sleep)
    finally:
        await backend.clear()
        await backend.aclose()


@pytest.fixture
async def two_connections() -> AsyncIterator[tuple[RedisBackend, RedisBackend]]:
    """Two backends on the shared Redis in one namespace: two replicas' own pools."""
    url, namespace = require_shared_redis(), unique_namespace()
    first = RedisBackend(url, namespace=namespace, connect_timeout=1.0, command_timeout=1.0)
    second = RedisBackend(url, namespace=namespace, connect_timeout=1.0, command_timeout=1.0)
    try:
        yield first, second
    finally:
        await first.clear()
        await first.aclose()
        await second.aclose()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private redis-server on a free port (thawed and killed afterwards)."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.thaw()
        server.kill()
