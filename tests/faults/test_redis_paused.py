"""Hundreds of concurrent requests to a router on a Redis that keeps pausing: no 5xx.

Under that load redis-py raises more than its documentation lists (its own TimeoutError
from closing a connection, CancelledErrors from its own tasks), from inside the cache's
error handling; each one used to escape the fail-open guard as a 500. Here a real router
process caches in a private redis-server (tests/support/redis_server.py), 300 clients keep
a request each in flight, and Redis is paused (``CLIENT PAUSE``) again and again: every
answer must be a complete 200, the pauses must have been seen as cache failures, and the
cache must be in use again at the end.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import redis

from bench.load import run_load
from tests.faults.processes import base_environment, wait_until
from tests.faults.stack import TASKS_WITH_ASSIGNEES, Stack, start_stack
from tests.support.redis_server import RedisServer

CLIENTS = 300
PAUSES = 8
PAUSE_MS = 300
BODY = orjson.dumps({"query": TASKS_WITH_ASSIGNEES})


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def stack(tmp_path: Path, redis_server: RedisServer) -> Iterator[Stack]:
    stack = start_stack(tmp_path, base_environment(REDIS_URL=redis_server.url))
    yield stack
    stack.stop()


def pause_repeatedly(url: str, started: threading.Event, done: threading.Event) -> None:
    """Once the load runs, pause every Redis client PAUSES times, with gaps between."""
    with redis.Redis.from_url(url) as client:
        started.wait()
        for _ in range(PAUSES):
            client.execute_command("CLIENT", "PAUSE", str(PAUSE_MS), "ALL")
            done.wait(PAUSE_MS * 2 / 1000)
    done.set()


async def load_while_paused(url: str, redis_url: str) -> tuple[int, int, str | None]:
    """Requests answered in full, requests failed, and the first failure."""
    started, done = threading.Event(), threading.Event()
    pauser = threading.Thread(target=pause_repeatedly, args=(redis_url, started, done))
    pauser.start()
    try:
        # Load in rounds until every pause has happened, so a slow machine pauses under load
        # too; each round keeps CLIENTS requests in flight.
        requests = failures = 0
        first: str | None = None
        while True:
            round_ = asyncio.create_task(run_load(url, [(BODY,)] * CLIENTS, seconds=2))
            started.set()
            result = await round_
            requests += result.requests
            failures += result.failures
            first = first or result.first_failure
            if done.is_set():
                return requests, failures, first
    finally:
        done.set()
        pauser.join()


def test_a_pausing_redis_under_hundreds_of_concurrent_requests_fails_none(
    stack: Stack, redis_server: RedisServer
) -> None:
    answered, failed, first_failure = asyncio.run(load_while_paused(stack.url, redis_server.url))

    assert failed == 0, f"{failed} of {answered + failed} requests failed, first: {first_failure}"
    assert answered >= CLIENTS
    assert stack.metric_total("fedtasks_cache_errors_total") > 0  # the pauses were felt
    assert "Traceback" not in stack.router.output()
    hits = stack.metric_total("fedtasks_entity_cache_hits_total")

    def cache_used_again() -> bool:
        asyncio.run(run_load(stack.url, [(BODY,)], seconds=0.2))
        return (
            stack.metric("fedtasks_cache_backend_up") == 1
            and stack.metric_total("fedtasks_entity_cache_hits_total") > hits
        )

    wait_until(cache_used_again, "hits from Redis after the pauses", log=stack.router)
