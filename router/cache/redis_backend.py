"""The shared cache: Redis through redis.asyncio, pooled, with short timeouts and no retries.

Every replica of the router that points at the same Redis shares entries and sees the
same invalidations. Each operation is one round trip: MGET, a pipeline of SET ... PX,
UNLINK, or one Lua script for the index operations (so an invalidation deletes the
members and the index atomically, and no entry added meanwhile escapes it).

Layout under the namespace (default ``fedtasks:``): entries at ``<namespace>e:<key>``,
indexes (Redis sets of entry keys) at ``<namespace>i:<name>``. The index scripts touch
keys they do not declare, so this needs one Redis (with replicas if wanted), not Redis
Cluster. An index that Redis evicts under ``maxmemory`` can no longer invalidate its
entries, which then live out their TTL: give the cache room enough not to evict (every
key has a TTL, so it shrinks by itself).

Timeouts: a Redis on the same host or network answers in well under a millisecond, so the
timeouts never shape normal latency; they only decide how long the request that notices
an outage waits. The defaults (connect 100 ms, command 50 ms) are larger than "a few
milliseconds" on purpose: the timer runs on the router's own event loop, which a busy
router stalls for tens of milliseconds at a time (planning, large responses, garbage
collection), and a timeout that fires during such a stall reports an outage that is not
there (a command timeout of 20 ms did so in this project's tests on a loaded two-core
machine). Apollo's router makes the same trade with a 150 ms fetch timeout. The fail-open
wrapper then stops calling for a short back-off, so a down or hung Redis costs one timeout
per back-off, not one per request. Retries are off: a cache miss is cheaper than a second
wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar, cast

from redis.asyncio import BlockingConnectionPool, Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from router.cache.backend import CacheError, require_positive_ttl

T = TypeVar("T")

DEFAULT_CONNECT_TIMEOUT = 0.1
DEFAULT_COMMAND_TIMEOUT = 0.05
DEFAULT_MAX_CONNECTIONS = 50

_ENTRY = "e:"
_INDEX = "i:"
# Keys go to UNLINK in batches of this many; the scripts below unpack members in chunks of
# the same size, as Redis's Lua stack holds only a few thousand values.
_CHUNK = 1000

# KEYS: the index keys. ARGV: the TTL in milliseconds, then for each index the number of
# its new members followed by them. An index's TTL only ever grows: a fresh set has none
# (PTTL -1), so it gets this one.
_ADD_TO_INDEXES = """
local ttl = tonumber(ARGV[1])
local position = 2
for _, index in ipairs(KEYS) do
  local count = tonumber(ARGV[position])
  local first = position + 1
  local last = position + count
  for start = first, last, 1000 do
    redis.call('SADD', index, unpack(ARGV, start, math.min(start + 999, last)))
  end
  position = last + 1
  if count > 0 and redis.call('PTTL', index) < ttl then
    redis.call('PEXPIRE', index, ttl)
  end
end
return 0
"""

# KEYS: the index keys. Deletes each index's members and the index; returns how many
# entries existed (an expired entry does not count, as Redis treats it as absent).
_INVALIDATE_INDEXES = """
local deleted = 0
for _, index in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', index)
  for start = 1, #members, 1000 do
    local last = math.min(start + 999, #members)
    deleted = deleted + redis.call('UNLINK', unpack(members, start, last))
  end
  redis.call('UNLINK', index)
end
return deleted
"""


def fail_fast_pool(
    url: str,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> BlockingConnectionPool:
    """A connection pool to ``url`` whose calls fail within the timeouts, never retried.

    Whoever uses it serves without Redis when a call fails (fail-open), so a slow Redis
    must cost a request milliseconds, not seconds. The pool is blocking, which bounds the
    connections one router opens; waiting for a free one is bounded by the connect timeout,
    as it is time spent getting a connection.
    """
    return BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=connect_timeout,
        socket_connect_timeout=connect_timeout,
        socket_timeout=command_timeout,
        retry=Retry(NoBackoff(), 0),
    )


def is_redis_failure(error: BaseException) -> bool:
    """Whether ``error``, raised by a redis-py call, means Redis failed (not a cancellation).

    Any exception counts, and so does a CancelledError while this task is not being
    cancelled: redis-py re-raises one from tasks of its own (closing a connection after a
    timeout, under load). A real cancellation of the task, and KeyboardInterrupt or
    SystemExit, are not failures of Redis and must go through.
    """
    if isinstance(error, Exception):
        return True
    if isinstance(error, asyncio.CancelledError):
        task = asyncio.current_task()
        return task is not None and task.cancelling() == 0
    return False


class IdleConnectionDrops:
    """Drops a pool's idle connections after a failure, in the background, one run at a time.

    Idle connections opened before the failure may be dead too (a restarted or unreachable
    Redis): dropping them means none is reused when Redis answers again. It is not done on
    the failing request's path: closing connections to a Redis that does not answer waits
    for the connect timeout and then fails in its turn (redis-py raises its TimeoutError,
    or re-raises a closing task's CancelledError), which a request must never see or wait
    for. The connections are gone either way, so those errors are dropped with them.
    """

    def __init__(self, pool: BlockingConnectionPool) -> None:
        self._pool = pool
        self._running: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Drop the idle connections unless a drop is already under way."""
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().create_task(self._drop())

    async def aclose(self) -> None:
        """Cancel a drop under way (the pool is being closed anyway)."""
        if self._running is not None:
            self._running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._running

    async def _drop(self) -> None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await self._pool.disconnect(inuse_connections=False)


class RedisBackend:
    """A CacheBackend on Redis; raises CacheError when Redis cannot answer in time."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "fedtasks:",
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.namespace = namespace
        self._pool = fail_fast_pool(
            url,
            connect_timeout=connect_timeout,
            command_timeout=command_timeout,
            max_connections=max_connections,
        )
        self._client = Redis(connection_pool=self._pool)
        self._idle_drops = IdleConnectionDrops(self._pool)
        self._add_to_indexes = self._client.register_script(_ADD_TO_INDEXES)
        self._invalidate_indexes = self._client.register_script(_INVALIDATE_INDEXES)

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """MGET the entries."""
        if not keys:
            return []
        entry_keys = [self._entry(key) for key in keys]
        values = await self._call("get", lambda: self._client.mget(entry_keys))
        # decode_responses is off, so redis-py hands back bytes, never str.
        return cast(list[bytes | None], values)

    async def set_many(self, items: Mapping[str, bytes], *, ttl: float) -> None:
        """SET each entry with PX in one pipeline."""
        require_positive_ttl(ttl)
        if not items:
            return

        async def run() -> None:
            async with self._client.pipeline(transaction=False) as pipeline:
                for key, value in items.items():
                    pipeline.set(self._entry(key), value, px=_milliseconds(ttl))
                await pipeline.execute()

        await self._call("set", run)

    async def delete_many(self, keys: Sequence[str]) -> None:
        """UNLINK the entries (freed by Redis in the background)."""
        if keys:
            entry_keys = [self._entry(key) for key in keys]
            await self._call("delete", lambda: self._client.unlink(*entry_keys))

    async def add_to_indexes(self, memberships: Mapping[str, Sequence[str]], *, ttl: float) -> None:
        """SADD the entry keys to each index set and extend its TTL, in one script."""
        require_positive_ttl(ttl)
        if not memberships:
            return
        indexes = [self._index(name) for name in memberships]
        arguments: list[str | int] = [_milliseconds(ttl)]
        for keys in memberships.values():
            arguments.append(len(keys))
            arguments.extend(self._entry(key) for key in keys)
        await self._call(
            "index", lambda: self._add_to_indexes(keys=indexes, args=arguments, client=self._client)
        )

    async def invalidate_indexes(self, indexes: Sequence[str]) -> int:
        """Delete the members of each index set and the sets, in one script."""
        if not indexes:
            return 0
        index_keys = [self._index(name) for name in indexes]
        deleted: int = await self._call(
            "invalidate", lambda: self._invalidate_indexes(keys=index_keys, client=self._client)
        )
        return deleted

    async def clear(self, prefix: str = "") -> None:
        """SCAN for the namespace's entries and indexes under ``prefix`` and UNLINK them."""

        async def run() -> None:
            for kind in (_ENTRY, _INDEX):
                pattern = _glob_escape(f"{self.namespace}{kind}{prefix}") + "*"
                batch: list[bytes] = []
                async for key in self._client.scan_iter(match=pattern, count=_CHUNK):
                    batch.append(key)
                    if len(batch) == _CHUNK:
                        await self._client.unlink(*batch)
                        batch.clear()
                if batch:
                    await self._client.unlink(*batch)

        await self._call("clear", run)

    async def aclose(self) -> None:
        """Close the client and every pooled connection."""
        await self._idle_drops.aclose()
        await self._client.aclose()
        await self._pool.aclose()

    def _entry(self, key: str) -> str:
        return f"{self.namespace}{_ENTRY}{key}"

    def _index(self, name: str) -> str:
        return f"{self.namespace}{_INDEX}{name}"

    async def _call(self, operation: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run one operation; whatever it raises (see :func:`is_redis_failure`) is a CacheError.

        Not only redis-py's errors and socket errors: under load redis-py also raises
        asyncio's and its own timeouts, and CancelledErrors, from places its documentation
        does not list (a connection closed while the pool waits), and a cache that cannot
        answer must cost a miss, never a failed request.
        """
        try:
            return await call()
        except BaseException as error:
            if not is_redis_failure(error):
                raise
            self._idle_drops.start()
            raise CacheError(f"Redis {operation} failed: {error!r}") from error


def _milliseconds(ttl: float) -> int:
    """A TTL in whole milliseconds, rounded up so an entry never lives shorter than asked."""
    return max(1, math.ceil(ttl * 1000))


def _glob_escape(text: str) -> str:
    """``text`` matched literally by SCAN's glob-style MATCH."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
