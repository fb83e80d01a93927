"""Fail-open: a cache that cannot answer is a cache that missed, never a failed request.

Wraps any CacheBackend. When the backend raises (CacheError for Redis down, hung, slow or
refusing; or any other exception, which is a backend bug but must not fail a request
either), reads return misses and writes do nothing, so requests go on to the subgraphs.
One WARNING is logged when an outage starts (with the traceback when the error is not a
CacheError) and one INFO when it ends, whatever the traffic in between; every failure is
counted. A TTL that is not positive is the caller's bug: it is refused here, before the
backend is called, so it is never mistaken for an outage.

After a failure the wrapper stops calling the backend for ``backoff`` seconds, then lets
a single call through as a probe (others keep missing while it runs): a down Redis costs
one timeout per back-off, not one per request. A successful probe ends the outage. The
backend itself reconnects (redis-py opens fresh connections on the next command), so the
wrapper is never recreated.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from router.cache.backend import CacheBackend, CacheError, require_positive_ttl
from router.cache.metrics import CacheMetrics

T = TypeVar("T")

logger = logging.getLogger(__name__)

DEFAULT_BACKOFF = 1.0


class FailOpenBackend:
    """A CacheBackend that absorbs every error of the wrapped backend."""

    def __init__(
        self,
        inner: CacheBackend,
        *,
        metrics: CacheMetrics | None = None,
        backoff: float = DEFAULT_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.metrics = metrics if metrics is not None else CacheMetrics()
        self.backoff = backoff
        self._clock = clock
        self._down_since: float | None = None
        self._errors_in_outage = 0
        self._retry_at = 0.0
        self._probing = False
        # Operations answered with the fallback (failed or skipped), ever: a caller that
        # must know whether its write reached the backend compares it before and after.
        self.absorbed = 0

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The cached values, or all misses if the backend cannot answer."""
        misses: list[bytes | None] = [None] * len(keys)
        return await self._guard("get", lambda: self.inner.get_many(keys), misses)

    async def set_many(self, items: Mapping[str, bytes], *, ttl: float) -> None:
        """Store the items, or nothing if the backend cannot answer."""
        require_positive_ttl(ttl)
        await self._guard("set", lambda: self.inner.set_many(items, ttl=ttl), None)

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Delete the entries, or nothing if the backend cannot answer."""
        await self._guard("delete", lambda: self.inner.delete_many(keys), None)

    async def add_to_indexes(self, memberships: Mapping[str, Sequence[str]], *, ttl: float) -> None:
        """Index the entries, or nothing if the backend cannot answer."""
        require_positive_ttl(ttl)
        await self._guard("index", lambda: self.inner.add_to_indexes(memberships, ttl=ttl), None)

    async def invalidate_indexes(self, indexes: Sequence[str]) -> int:
        """Invalidate the indexes; 0 if the backend cannot answer.

        An invalidation lost to an outage leaves entries that Redis still holds if it comes
        back with its data; their TTL bounds how long they can be served.
        """
        return await self._guard("invalidate", lambda: self.inner.invalidate_indexes(indexes), 0)

    async def clear(self, prefix: str = "") -> None:
        """Clear under ``prefix``, or nothing if the backend cannot answer."""
        await self._guard("clear", lambda: self.inner.clear(prefix), None)

    async def aclose(self) -> None:
        """Close the wrapped backend."""
        await self.inner.aclose()

    async def _guard(self, operation: str, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        """Run ``call`` unless the backend is known down; answer ``fallback`` if it fails."""
        probe = self._down_since is not None
        if probe and (self._probing or self._clock() < self._retry_at):
            self.metrics.skipped.labels(operation).inc()
            self.absorbed += 1
            return fallback
        self._probing = probe
        try:
            result = await call()
        except Exception as error:  # noqa: BLE001 - every backend error is a miss
            self._failed(operation, error)
            self.absorbed += 1
            return fallback
        finally:
            if probe:
                self._probing = False
        self._succeeded()
        return result

    def _failed(self, operation: str, error: Exception) -> None:
        now = self._clock()
        self.metrics.errors.labels(operation).inc()
        self._retry_at = now + self.backoff
        self._errors_in_outage += 1
        if self._down_since is None:
            self._down_since = now
            self.metrics.up.set(0)
            logger.warning(
                "cache backend unavailable, serving without it until it answers again: %s",
                error,
                exc_info=None if isinstance(error, CacheError) else error,
            )

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        logger.info(
            "cache backend available again after %.1fs (%d failed operations)",
            self._clock() - self._down_since,
            self._errors_in_outage,
        )
        self._down_since = None
        self._errors_in_outage = 0
        self.metrics.up.set(1)
