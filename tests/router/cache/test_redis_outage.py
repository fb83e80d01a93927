"""A real Redis that crashes, hangs or crawls under the fail-open cache, and comes back.

Each test runs its own redis-server (the shared one must stay up for other tests) and
checks what a request would see: misses without errors, no timeout paid per call, one
warning per outage, the error counted, and real hits again once Redis answers, from the
same backend object.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from router.cache import CacheMetrics, FailOpenBackend, RedisBackend
from tests.support.redis_server import RedisServer

LOGGER = "router.cache.fail_open"
BACKOFF = 0.3
COMMAND_TIMEOUT = 0.05


@pytest.fixture
async def cache(redis_server: RedisServer) -> AsyncIterator[FailOpenBackend]:
    backend = RedisBackend(redis_server.url, namespace="outage:", command_timeout=COMMAND_TIMEOUT)
    cache = FailOpenBackend(backend, metrics=CacheMetrics(), backoff=BACKOFF)
    yield cache
    await cache.aclose()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == level]


def errors(cache: FailOpenBackend, operation: str) -> float:
    value = cache.metrics.registry.get_sample_value(
        "fedtasks_cache_errors_total", {"operation": operation}
    )
    return 0.0 if value is None else value


def total_errors(cache: FailOpenBackend) -> float:
    operations = ("get", "set", "delete", "index", "invalidate", "clear")
    return sum(errors(cache, operation) for operation in operations)


async def test_a_crashed_redis_costs_misses_only_and_is_used_again_when_it_restarts(
    redis_server: RedisServer, cache: FailOpenBackend, logs: pytest.LogCaptureFixture
) -> None:
    await cache.set_many({"a": b"before"}, ttl=60)
    # Ten pooled connections, every one of which the crash leaves dead.
    assert await asyncio.gather(*(cache.get_many(["a"]) for _ in range(10))) == [[b"before"]] * 10

    redis_server.kill()
    started = time.monotonic()
    for _ in range(100):
        assert await cache.get_many(["a"]) == [None]
        await cache.set_many({"a": b"during"}, ttl=60)
        await cache.add_to_indexes({"index": ["a"]}, ttl=60)
        assert await cache.invalidate_indexes(["index"]) == 0
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    assert len(messages(logs, logging.WARNING)) == 1
    assert "Redis get failed" in messages(logs, logging.WARNING)[0]
    assert errors(cache, "get") >= 1
    assert cache.metrics.registry.get_sample_value("fedtasks_cache_backend_up") == 0

    redis_server.start()
    await asyncio.sleep(BACKOFF + 0.05)
    errors_before_recovery = total_errors(cache)

    await cache.set_many({"a": b"after"}, ttl=60)
    assert await asyncio.gather(*(cache.get_many(["a"]) for _ in range(10))) == [[b"after"]] * 10
    # The restarted Redis has no scripts loaded: the index operations load them again.
    await cache.add_to_indexes({"index": ["a"]}, ttl=60)
    assert await cache.invalidate_indexes(["index"]) == 1

    assert total_errors(cache) == errors_before_recovery
    assert len(messages(logs, logging.INFO)) == 1
    assert messages(logs, logging.INFO)[0].startswith("cache backend available again after")
    assert len(messages(logs, logging.WARNING)) == 1
    assert cache.metrics.registry.get_sample_value("fedtasks_cache_backend_up") == 1


async def test_a_hung_redis_costs_one_command_timeout_per_back_off(
    redis_server: RedisServer, cache: FailOpenBackend, logs: pytest.LogCaptureFixture
) -> None:
    await cache.set_many({"a": b"kept"}, ttl=60)
    redis_server.freeze()
    try:
        started = time.monotonic()
        assert await cache.get_many(["a"]) == [None]
        first = time.monotonic() - started

        started = time.monotonic()
        for _ in range(100):
            assert await cache.get_many(["a"]) == [None]
        during_back_off = time.monotonic() - started
    finally:
        redis_server.thaw()

    assert COMMAND_TIMEOUT <= first < 0.5
    assert during_back_off < 0.1
    assert errors(cache, "get") == 1
    assert len(messages(logs, logging.WARNING)) == 1
    assert "TimeoutError" in messages(logs, logging.WARNING)[0]

    await asyncio.sleep(BACKOFF + 0.05)
    assert await cache.get_many(["a"]) == [b"kept"]
    assert len(messages(logs, logging.INFO)) == 1


async def test_a_command_slower_than_the_timeout_is_a_miss(
    redis_server: RedisServer, cache: FailOpenBackend, logs: pytest.LogCaptureFixture
) -> None:
    await cache.set_many({"a": b"kept"}, ttl=60)
    # Another client keeps Redis busy for 0.5 s, as a long command would.
    reader, writer = await asyncio.open_connection("127.0.0.1", redis_server.port)
    try:
        writer.write(b"DEBUG SLEEP 0.5\r\n")
        await writer.drain()
        await asyncio.sleep(0.05)

        started = time.monotonic()
        assert await cache.get_many(["a"]) == [None]
        assert time.monotonic() - started < 0.4

        assert await reader.readline() == b"+OK\r\n"
    finally:
        writer.close()
        await writer.wait_closed()

    assert errors(cache, "get") == 1
    assert len(messages(logs, logging.WARNING)) == 1
    await asyncio.sleep(BACKOFF)
    assert await cache.get_many(["a"]) == [b"kept"]
    assert len(messages(logs, logging.INFO)) == 1


async def test_a_redis_that_is_not_up_at_start_is_used_once_it_is(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    server = RedisServer(tmp_path)
    cache = FailOpenBackend(
        RedisBackend(server.url, namespace="late:"), metrics=CacheMetrics(), backoff=BACKOFF
    )
    try:
        await cache.set_many({"a": b"1"}, ttl=60)
        assert await cache.get_many(["a"]) == [None]

        server.start()
        await asyncio.sleep(BACKOFF + 0.05)
        await cache.set_many({"a": b"1"}, ttl=60)
        assert await cache.get_many(["a"]) == [b"1"]
    finally:
        await cache.aclose()
        server.kill()

    assert len(messages(logs, logging.WARNING)) == 1
    assert len(messages(logs, logging.INFO)) == 1
