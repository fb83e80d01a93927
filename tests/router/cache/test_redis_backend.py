"""How the Redis backend lays out its keys, and what it does at Redis's own limits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from router.cache import RedisBackend
from tests.router.cache.conftest import require_shared_redis, shared_backend


@pytest.fixture
async def raw() -> AsyncIterator[Redis]:
    """A plain redis-py client on the shared Redis, to look behind the backend."""
    client = Redis.from_url(require_shared_redis())
    yield client
    await client.aclose()


async def test_entries_and_indexes_live_apart_under_the_namespace(
    shared_redis: RedisBackend, raw: Redis
) -> None:
    namespace = shared_redis.namespace
    await shared_redis.set_many({"User:1": b"entry"}, ttl=60)
    await shared_redis.add_to_indexes({"User:1": ["User:1"]}, ttl=120)

    assert await raw.get(f"{namespace}e:User:1") == b"entry"
    assert 59_000 < await raw.pttl(f"{namespace}e:User:1") <= 60_000
    assert await raw.smembers(f"{namespace}i:User:1") == {f"{namespace}e:User:1".encode()}
    assert 119_000 < await raw.pttl(f"{namespace}i:User:1") <= 120_000
    # An index may share its name with an entry: reading the entry is unaffected.
    assert await shared_redis.get_many(["User:1"]) == [b"entry"]


async def test_a_ttl_below_a_millisecond_is_rounded_up(
    shared_redis: RedisBackend, raw: Redis
) -> None:
    # PX 0 would be refused by Redis: the backend asks for at least one millisecond.
    await shared_redis.set_many({"brief": b"1"}, ttl=0.0001)

    assert await raw.pttl(f"{shared_redis.namespace}e:brief") in {0, 1, -2}


async def test_two_namespaces_never_see_each_others_keys(shared_redis: RedisBackend) -> None:
    other = shared_backend()
    try:
        await shared_redis.set_many({"a": b"mine"}, ttl=60)
        await other.set_many({"a": b"theirs"}, ttl=60)
        await other.clear()

        assert await shared_redis.get_many(["a"]) == [b"mine"]
        assert await other.get_many(["a"]) == [None]
    finally:
        await other.clear()
        await other.aclose()


async def test_large_indexes_and_clears_go_past_the_lua_and_batch_chunks(
    shared_redis: RedisBackend,
) -> None:
    keys = [f"Task:{number}" for number in range(2500)]
    await shared_redis.set_many(dict.fromkeys(keys, b"task"), ttl=60)
    await shared_redis.add_to_indexes({"Task": keys, "Task:0": keys[:1]}, ttl=60)

    assert await shared_redis.invalidate_indexes(["Task"]) == 2500
    assert set(await shared_redis.get_many(keys)) == {None}

    await shared_redis.set_many(dict.fromkeys(keys, b"task"), ttl=60)
    await shared_redis.clear("Task:")
    assert set(await shared_redis.get_many(keys)) == {None}
