"""Fail-open on a backend that fails on command: misses, one warning, a back-off, a probe."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

import pytest
import redis.exceptions

from router.cache import CacheError, CacheMetrics, FailOpenBackend, MemoryBackend
from tests.router.cache.conftest import FakeClock

LOGGER = "router.cache.fail_open"


class Switchable:
    """A MemoryBackend that raises ``error`` while ``down``, and counts the calls it gets."""

    def __init__(self) -> None:
        self.memory = MemoryBackend()
        self.down = False
        self.error: Exception = CacheError("Redis get failed: ConnectionError('refused')")
        self.calls = 0
        self.hold: asyncio.Event | None = None

    async def _enter(self) -> None:
        self.calls += 1
        if self.hold is not None:
            await self.hold.wait()
        if self.down:
            raise self.error

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        await self._enter()
        return await self.memory.get_many(keys)

    async def set_many(self, items: Mapping[str, bytes], *, ttl: float) -> None:
        await self._enter()
        await self.memory.set_many(items, ttl=ttl)

    async def delete_many(self, keys: Sequence[str]) -> None:
        await self._enter()
        await self.memory.delete_many(keys)

    async def add_to_indexes(self, memberships: Mapping[str, Sequence[str]], *, ttl: float) -> None:
        await self._enter()
        await self.memory.add_to_indexes(memberships, ttl=ttl)

    async def invalidate_indexes(self, indexes: Sequence[str]) -> int:
        await self._enter()
        return await self.memory.invalidate_indexes(indexes)

    async def clear(self, prefix: str = "") -> None:
        await self._enter()
        await self.memory.clear(prefix)

    async def aclose(self) -> None:
        await self.memory.aclose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def inner() -> Switchable:
    return Switchable()


@pytest.fixture
def cache(inner: Switchable, clock: FakeClock) -> FailOpenBackend:
    return FailOpenBackend(inner, metrics=CacheMetrics(), backoff=1.0, clock=clock)


def sample(cache: FailOpenBackend, name: str, operation: str | None = None) -> float:
    labels = {} if operation is None else {"operation": operation}
    value = cache.metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


def records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == level]


async def test_a_healthy_backend_is_passed_through(cache: FailOpenBackend) -> None:
    await cache.set_many({"a": b"1"}, ttl=60)
    await cache.add_to_indexes({"index": ["a"]}, ttl=60)

    assert await cache.get_many(["a", "b"]) == [b"1", None]
    assert await cache.invalidate_indexes(["index"]) == 1
    assert sample(cache, "fedtasks_cache_backend_up") == 1


async def test_every_operation_answers_as_a_miss_or_does_nothing_when_the_backend_fails(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock
) -> None:
    await cache.set_many({"a": b"1"}, ttl=60)
    inner.down = True

    operations: list[tuple[str, Callable[[], Awaitable[object]], object]] = [
        ("get", lambda: cache.get_many(["a", "b"]), [None, None]),
        ("set", lambda: cache.set_many({"a": b"2"}, ttl=60), None),
        ("delete", lambda: cache.delete_many(["a"]), None),
        ("index", lambda: cache.add_to_indexes({"index": ["a"]}, ttl=60), None),
        ("invalidate", lambda: cache.invalidate_indexes(["index"]), 0),
        ("clear", lambda: cache.clear(), None),
    ]
    for operation, call, fallback in operations:
        clock.advance(1.0)  # past the back-off, so each one reaches the backend
        assert await call() == fallback
        assert sample(cache, "fedtasks_cache_errors_total", operation) == 1

    inner.down = False
    clock.advance(1.0)
    assert await cache.get_many(["a"]) == [b"1"]


async def test_an_outage_logs_one_warning_and_its_end_one_info(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    inner.down = True
    for _ in range(5):
        for _ in range(20):
            await cache.get_many(["a"])
        clock.advance(1.0)

    assert records(caplog, logging.WARNING) == [
        "cache backend unavailable, serving without it until it answers again: "
        "Redis get failed: ConnectionError('refused')"
    ]
    assert sample(cache, "fedtasks_cache_backend_up") == 0

    inner.down = False
    for _ in range(20):
        await cache.get_many(["a"])

    assert records(caplog, logging.INFO) == [
        "cache backend available again after 5.0s (5 failed operations)"
    ]
    assert len(records(caplog, logging.WARNING)) == 1
    assert sample(cache, "fedtasks_cache_backend_up") == 1


async def test_after_a_failure_the_backend_is_left_alone_for_the_back_off(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock
) -> None:
    inner.down = True
    await cache.get_many(["a"])
    for _ in range(50):
        assert await cache.get_many(["a"]) == [None]
        await cache.set_many({"a": b"1"}, ttl=60)

    assert inner.calls == 1
    assert sample(cache, "fedtasks_cache_errors_total", "get") == 1
    assert sample(cache, "fedtasks_cache_skipped_total", "get") == 50
    assert sample(cache, "fedtasks_cache_skipped_total", "set") == 50

    clock.advance(0.999)
    await cache.get_many(["a"])
    assert inner.calls == 1
    clock.advance(0.001)
    await cache.get_many(["a"])
    assert inner.calls == 2


async def test_only_one_probe_runs_at_a_time(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock
) -> None:
    inner.down = True
    await cache.get_many(["a"])
    clock.advance(1.0)
    inner.hold = asyncio.Event()

    probe = asyncio.create_task(cache.get_many(["a"]))
    await asyncio.sleep(0)
    others = await asyncio.gather(*(cache.get_many(["a"]) for _ in range(10)))
    inner.hold.set()

    assert await probe == [None]
    assert others == [[None]] * 10
    assert inner.calls == 2


async def test_a_successful_probe_ends_the_outage_for_everyone(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock
) -> None:
    await cache.set_many({"a": b"1"}, ttl=60)
    inner.down = True
    await cache.get_many(["a"])
    inner.down = False
    clock.advance(1.0)

    results = [await cache.get_many(["a"]) for _ in range(5)]

    assert results == [[b"1"]] * 5
    assert inner.calls == 7


async def test_a_cancelled_probe_lets_the_next_call_probe(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock
) -> None:
    inner.down = True
    await cache.get_many(["a"])
    clock.advance(1.0)
    inner.hold = asyncio.Event()
    probe = asyncio.create_task(cache.get_many(["a"]))
    await asyncio.sleep(0)
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe

    inner.hold = None
    inner.down = False
    assert await cache.get_many(["a"]) == [None]
    assert inner.calls == 3


async def test_an_error_of_any_class_is_a_miss_and_logged_with_its_traceback(
    cache: FailOpenBackend, inner: Switchable, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # What redis-py raised from inside the Redis backend's own error handling under load.
    inner.error = redis.exceptions.TimeoutError("Timed out closing connection after 0.1")
    inner.down = True
    caplog.set_level(logging.INFO, logger=LOGGER)

    assert await cache.get_many(["a"]) == [None]
    clock.advance(1.0)
    await cache.set_many({"a": b"1"}, ttl=60)
    clock.advance(1.0)
    assert await cache.invalidate_indexes(["index"]) == 0

    assert sample(cache, "fedtasks_cache_errors_total", "get") == 1
    assert sample(cache, "fedtasks_cache_errors_total", "set") == 1
    assert sample(cache, "fedtasks_cache_backend_up") == 0
    (warning,) = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert warning.exc_info is not None
    assert warning.exc_info[1] is inner.error


async def test_a_ttl_that_is_not_positive_is_the_callers_bug_and_propagates(
    cache: FailOpenBackend, inner: Switchable
) -> None:
    for ttl in (0, -1, float("inf")):
        with pytest.raises(ValueError, match="positive, finite number of seconds"):
            await cache.set_many({"a": b"1"}, ttl=ttl)
        with pytest.raises(ValueError, match="positive, finite number of seconds"):
            await cache.add_to_indexes({"index": ["a"]}, ttl=ttl)
    assert inner.calls == 0


async def test_closing_closes_the_wrapped_backend(cache: FailOpenBackend) -> None:
    await cache.set_many({"a": b"1"}, ttl=60)
    await cache.aclose()

    assert await cache.get_many(["a"]) == [None]
