"""Token buckets for rate limiting: in process, or in Redis shared by every router replica.

Each key (a caller) has a bucket holding up to ``burst`` tokens, refilled continuously at
``per_minute / 60`` tokens a second. A request takes one token; with none left it is
refused and told how long until one is back. :meth:`Buckets.take` answers that wait in
seconds, 0 when the request may go.

In Redis one Lua script reads, refills, takes and writes a bucket atomically, on Redis's
own clock (``TIME``), so replicas whose clocks differ still share one bucket per caller.
A bucket expires once it would be full again: an idle caller costs nothing. If Redis
cannot answer, :class:`FailOpenBuckets` lets requests through (a rate limiter that fails
closed would turn a Redis outage into a router outage), logging one warning per outage,
as the cache does (router/cache/fail_open.py).
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Protocol

from redis.asyncio import Redis

from router.cache.redis_backend import (
    DEFAULT_COMMAND_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    IdleConnectionDrops,
    fail_fast_pool,
    is_redis_failure,
)

logger = logging.getLogger(__name__)

MAX_KEYS: Final = 100_000
"""Buckets the in-process limiter keeps; the least recently used are dropped beyond it."""


class BucketsUnavailable(Exception):
    """The buckets' store cannot answer (Redis down, hung or refusing)."""


class Buckets(Protocol):
    """Token buckets by key."""

    per_minute: int

    async def take(self, key: str) -> float:
        """Take a token from ``key``'s bucket: 0 if taken, else seconds until one is back."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class MemoryBuckets:
    """Buckets in this process: each router replica limits on its own."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self._rate = per_minute / 60
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def take(self, key: str) -> float:
        """Take a token from ``key``'s bucket: 0 if taken, else seconds until one is back."""
        now = self._clock()
        tokens, at = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(now - at, 0.0) * self._rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self._rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait

    async def aclose(self) -> None:
        """Nothing to release."""


# KEYS[1]: the bucket. ARGV: tokens per microsecond, burst, then the bucket's TTL margin in
# milliseconds. Returns the wait in microseconds (0: a token was taken), as a string: Lua
# numbers returned to Redis are truncated to integers, and formatted with %.0f/%.17g so
# that microsecond timestamps (16 digits) keep their precision.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
           'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate / 1000) + tonumber(ARGV[3]))
return string.format('%.0f', wait)
"""


class RedisBuckets:
    """Buckets in Redis, shared by every replica; raises BucketsUnavailable on failure.

    The connection pool is set up as the cache's (router/cache/redis_backend.py):
    bounded, short timeouts, no retries, since a limiter that waits delays every request.
    """

    def __init__(
        self,
        url: str,
        per_minute: int,
        burst: int,
        *,
        namespace: str = "fedtasks:",
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self.namespace = namespace
        self._pool = fail_fast_pool(
            url,
            connect_timeout=connect_timeout,
            command_timeout=command_timeout,
            max_connections=max_connections,
        )
        self._client = Redis(connection_pool=self._pool)
        self._idle_drops = IdleConnectionDrops(self._pool)
        self._take = self._client.register_script(_TAKE)
        self._arguments = (per_minute / 60_000_000, burst, 1000)

    async def take(self, key: str) -> float:
        """Take a token from ``key``'s bucket in Redis: 0 if taken, else seconds to wait."""
        try:
            wait = await self._take(
                keys=[f"{self.namespace}rl:{key}"], args=self._arguments, client=self._client
            )
        except BaseException as error:
            if not is_redis_failure(error):
                raise
            self._idle_drops.start()
            raise BucketsUnavailable(f"Redis rate limit failed: {error!r}") from error
        return float(wait) / 1_000_000

    async def aclose(self) -> None:
        """Close the client and its pooled connections."""
        await self._idle_drops.aclose()
        await self._client.aclose()
        await self._pool.aclose()


class FailOpenBuckets:
    """Buckets whose store may fail: then every request goes, and one warning is logged.

    After a failure the store is left alone for ``backoff`` seconds (requests go without
    it), then tried again: a down Redis costs one timeout per back-off, not per request.
    """

    def __init__(
        self,
        inner: RedisBuckets,
        *,
        backoff: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.per_minute = inner.per_minute
        self.backoff = backoff
        self._clock = clock
        self._down_since: float | None = None
        self._retry_at = 0.0

    async def take(self, key: str) -> float:
        """The inner store's answer, or 0 (go) while it cannot answer."""
        if self._down_since is not None and self._clock() < self._retry_at:
            return 0.0
        try:
            wait = await self.inner.take(key)
        except BucketsUnavailable as error:
            now = self._clock()
            self._retry_at = now + self.backoff
            if self._down_since is None:
                self._down_since = now
                logger.warning("rate limiting off until its Redis answers again: %s", error)
            return 0.0
        if self._down_since is not None:
            logger.info(
                "rate limiting back after %.1fs without its Redis",
                self._clock() - self._down_since,
            )
            self._down_since = None
        return wait

    async def aclose(self) -> None:
        """Close the inner store."""
        await self.inner.aclose()


def retry_after(wait: float) -> int:
    """Whole seconds for a Retry-After header: at least 1, rounded up."""
    return max(1, math.ceil(wait))
