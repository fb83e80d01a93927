"""After an acknowledged write, no replica serves the old value (two replicas, a real Redis).

Each replica has its own connections to one private redis-server (so it can be frozen and
cut away without touching the shared one), with the production settings' short timeouts.
A frozen Redis during a write delays the mutation's answer until the invalidation is
confirmed; a writer cut from Redis answers after the bounded wait, stops reading the cache
itself, and retires every entry (a new epoch) as soon as it reaches Redis again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from router.cache.config import CacheSettings, build_backend
from router.cache.fail_open import FailOpenBackend
from tests.router.cache.router_stack import USER_TASKS, Replica, Stack, running_stack, seed
from tests.support.redis_server import RedisServer
from tests.support.tcp_proxy import TcpProxy

RENAME = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }"
# Timeouts longer than production's (0.05 s) so that a loaded machine does not turn every
# command into an outage: the tests are about the order of events, not about speed.
SETTINGS = {"command_timeout": 0.5, "connect_timeout": 0.5, "backoff": 0.2}
WAIT = 5.0


@pytest.fixture
async def stack(users_url: str, tasks_url: str) -> AsyncIterator[Stack]:
    async with running_stack(users_url, tasks_url) as stack:
        yield stack


async def replica(stack: Stack, url: str) -> tuple[Replica, FailOpenBackend]:
    """A replica as `fedtasks router` builds one: fail-open backend, confirmed invalidations."""
    backend = build_backend(CacheSettings(redis_url=url, **SETTINGS))
    router = await stack.replica(backend, direct=backend.inner, invalidation_wait=WAIT)
    return router, backend


async def name_read_by(router: Replica, user: str) -> str:
    return str((await router.run(USER_TASKS, {"id": user}))["user"]["name"])


async def test_a_write_during_a_redis_pause_is_never_read_old_on_the_other_replica(
    stack: Stack, redis_server: RedisServer
) -> None:
    writer, writer_backend = await replica(stack, redis_server.url)
    reader, reader_backend = await replica(stack, redis_server.url)
    try:
        [user, _] = await seed(writer)
        for n in range(3):
            await name_read_by(reader, user)
            assert (await reader.report(USER_TASKS, {"id": user}))["hits"] == 2

            redis_server.freeze()
            thaw = asyncio.get_running_loop().call_later(0.5, redis_server.thaw)
            await writer.mutate(RENAME, {"id": user, "i": {"name": f"Renamed {n}"}})
            thaw.cancel()
            redis_server.thaw()

            # Acknowledged: the other replica, reading at once, sees the new name.
            assert await name_read_by(reader, user) == f"Renamed {n}"
    finally:
        await writer_backend.aclose()
        await reader_backend.aclose()


async def test_a_writer_cut_from_redis_answers_within_the_wait_and_retires_everything_on_return(
    stack: Stack, redis_server: RedisServer
) -> None:
    proxy = TcpProxy("127.0.0.1", redis_server.port)
    await proxy.start()
    writer, writer_backend = await replica(stack, f"redis://127.0.0.1:{proxy.port}/0")
    reader, reader_backend = await replica(stack, redis_server.url)
    try:
        [user, _] = await seed(writer)
        await name_read_by(reader, user)
        assert (await reader.report(USER_TASKS, {"id": user}))["hits"] == 2

        await proxy.stop()  # the writer is cut from Redis; the reader is not
        started = time.monotonic()
        await writer.mutate(RENAME, {"id": user, "i": {"name": "Renamed"}})
        waited = time.monotonic() - started
        # The writer itself never serves the old value: it reads around its cache now.
        assert await name_read_by(writer, user) == "Renamed"
        assert writer.cache.invalidator.unconfirmed

        await proxy.start()  # back: the writer moves the epoch on its next try
        for _ in range(200):
            if not writer.cache.invalidator.unconfirmed:
                break
            await asyncio.sleep(0.05)
        assert not writer.cache.invalidator.unconfirmed

        # Every entry of the old epoch is retired for the reader too.
        assert await name_read_by(reader, user) == "Renamed"
        assert (await reader.report(USER_TASKS, {"id": user}))["hits"] == 2
        # The answer waited for the confirmation that never came, and no longer (a bound
        # asserted loosely: the test is about the order of events, not about speed).
        assert waited + 0.1 >= WAIT
    finally:
        await proxy.stop()
        await writer_backend.aclose()
        await reader_backend.aclose()
