"""Redis killed under load, with a real router process caching in it, and started again.

The router's cache fails open: while Redis is down every request is answered from the
subgraphs, in full and without an error; when Redis is back the router uses it again
(``fedtasks_cache_backend_up`` goes 0, then 1). The router is never restarted. The Redis
here is a private redis-server (tests/support/redis_server.py): the shared one stays up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.load import Answer, Load
from tests.faults.processes import base_environment, wait_until
from tests.faults.stack import TASKS_WITH_ASSIGNEES, Stack, start_stack
from tests.support.redis_server import RedisServer


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def stack(tmp_path: Path, redis_server: RedisServer) -> Iterator[Stack]:
    # Timeouts of a second: a killed Redis refuses connections at once, so the test sees
    # the same outage, while a router stalled by a loaded machine never mistakes a slow
    # answer for one (the default 50 ms did, and the checks below then raced it).
    env = base_environment(
        REDIS_URL=redis_server.url,
        FEDTASKS_CACHE_COMMAND_TIMEOUT="1",
        FEDTASKS_CACHE_CONNECT_TIMEOUT="1",
    )
    stack = start_stack(tmp_path, env)
    yield stack
    stack.stop()


def complete(answer: Answer) -> bool:
    if answer.status != 200 or not isinstance(answer.body, dict) or "errors" in answer.body:
        return False
    edges = answer.body["data"]["tasks"]["edges"]
    return len(edges) == 5 and all(e["node"]["assignee"]["name"] for e in edges)


def test_a_killed_redis_fails_no_request_and_is_used_again_when_back(
    stack: Stack, redis_server: RedisServer
) -> None:
    with Load(stack.url, {"query": TASKS_WITH_ASSIGNEES}) as load:
        wait_until(
            lambda: (
                stack.metric("fedtasks_cache_backend_up") == 1
                and stack.metric_total("fedtasks_entity_cache_hits_total") > 0
            ),
            "hits from Redis",
        )

        redis_server.kill()
        wait_until(lambda: stack.metric("fedtasks_cache_backend_up") == 0, "Redis seen down")
        load.wait_for(30)

        redis_server.start()
        wait_until(lambda: stack.metric("fedtasks_cache_backend_up") == 1, "Redis seen up")
        hits_back = stack.metric_total("fedtasks_entity_cache_hits_total")
        wait_until(
            lambda: stack.metric_total("fedtasks_entity_cache_hits_total") > hits_back,
            "hits from the restarted Redis",
        )
        load.wait_for(30)

    assert all(a.failure is None for a in load.answers), "a request failed"
    assert all(complete(a) for a in load.answers)
    assert stack.router.alive()
