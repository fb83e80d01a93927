"""What the Redis backends count as Redis failing: any error, and redis-py's stray cancellations."""

from __future__ import annotations

import asyncio

import pytest
import redis.exceptions

from router.cache.redis_backend import is_redis_failure


async def test_any_exception_is_a_failure() -> None:
    for error in (
        redis.exceptions.TimeoutError("Timed out closing connection after 0.1"),
        redis.exceptions.ConnectionError("No connection available."),
        TimeoutError(),
        OSError("refused"),
        RuntimeError("anything else redis-py raises"),
    ):
        assert is_redis_failure(error)


async def test_a_cancelled_error_while_the_task_is_not_cancelled_is_a_failure() -> None:
    # redis-py re-raises the CancelledError of a task of its own that closed a connection.
    assert is_redis_failure(asyncio.CancelledError())


async def test_the_tasks_own_cancellation_is_not_a_failure() -> None:
    seen: list[bool] = []
    started = asyncio.Event()

    async def cancelled() -> None:
        try:
            started.set()
            await asyncio.sleep(60)
        except asyncio.CancelledError as error:
            seen.append(is_redis_failure(error))
            raise

    task = asyncio.create_task(cancelled())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == [False]


def test_interrupts_are_not_failures() -> None:
    assert not is_redis_failure(KeyboardInterrupt())
    assert not is_redis_failure(SystemExit(1))
