"""Invalidation that holds across replicas: confirmed before a mutation is answered.

A mutation's answer goes back to the client only once its invalidation is confirmed by the
backend (every replica sharing it then misses the stale entries), or once
``invalidation_wait`` seconds have passed trying. Each attempt writes a marker per tag (a
fetch that started before it may not store what it read) and deletes the entries the tags
index. The attempts go to the backend directly, not through the fail-open wrapper, whose
back-off would skip them: a Redis that pauses for less than the wait delays the answer
and serves no one the old value.

When the wait runs out (the backend is down, or this replica is cut from it), the change is
still answered, this replica stops reading the cache, and it keeps trying to move the
cache's **epoch**: every entry carries the epoch it was fetched under, every lookup reads
the current epoch in the same round trip, and an entry of another epoch is never served.
One write of a new epoch thus retires every entry at once, on every replica. The bound that
holds during a partition: another replica may serve an entry older than the change until
the writer's new epoch reaches the backend, and never past the entry's TTL (the router's
``default_ttl``, 60 s unless configured).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Final

import orjson

from router.cache.backend import CacheBackend, CacheError

logger = logging.getLogger("fedtasks.router.cache")

PREFIX: Final = "ec:"
EPOCH: Final = f"{PREFIX}epoch"
EPOCH_TTL: Final = 30 * 24 * 3600.0
MARKER_TTL: Final = 300.0
INVALIDATION_WAIT: Final = 3.0
"""Seconds a mutation's answer waits, at most, for its invalidation to be confirmed."""
RETRY: Final = 0.05
FLUSH_RETRY: Final = 0.25


def marker_key(tag: str) -> str:
    """Where the time of the latest invalidation of ``tag`` is kept."""
    return f"{PREFIX}m:{tag}"


def index_key(tag: str) -> str:
    """The index of the entries stored under ``tag``."""
    return f"{PREFIX}{tag}"


def epoch_of(blob: bytes | None) -> str:
    """The epoch a lookup read (empty when none was ever written, or it was evicted)."""
    return blob.decode() if blob else ""


class Invalidator:
    """Confirms invalidations, and moves the epoch after one it could not confirm."""

    def __init__(
        self,
        backend: CacheBackend,
        *,
        direct: CacheBackend | None = None,
        wait: float = INVALIDATION_WAIT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.backend = backend
        # The backend without the fail-open wrapper (whose back-off skips calls), or the
        # same one: a fail-open backend's absorbed count then tells a lost write.
        self.direct = direct if direct is not None else backend
        self.wait = wait
        self.clock = clock
        self.unconfirmed = False
        self._mover: asyncio.Task[None] | None = None

    async def invalidate(self, tags: Sequence[str]) -> int | None:
        """Mark and drop every entry under ``tags``; how many went, None if not confirmed."""
        deadline = time.monotonic() + self.wait
        while True:
            removed = await self._attempt(tags)
            if removed is not None:
                return removed
            if time.monotonic() + RETRY >= deadline:
                break
            await asyncio.sleep(RETRY)
        logger.warning(
            "cache invalidation not confirmed within %.2fs; this replica stops reading the "
            "cache and retires every entry (a new epoch) as soon as the backend answers",
            self.wait,
        )
        self.unconfirmed = True
        if self._mover is None or self._mover.done():
            self._mover = asyncio.create_task(self._move_epoch_when_back())
        return None

    async def ready(self) -> bool:
        """Whether the cache may be read: no invalidation is left unconfirmed."""
        if self.unconfirmed and await self._move_epoch():
            self.unconfirmed = False
        return not self.unconfirmed

    async def aclose(self) -> None:
        """Stop retrying."""
        if self._mover is not None:
            self._mover.cancel()

    async def _attempt(self, tags: Sequence[str]) -> int | None:
        now = orjson.dumps(self.clock())
        markers = {marker_key(t): now for t in tags}
        before = _absorbed(self.direct)
        try:
            await self.direct.set_many(markers, ttl=MARKER_TTL)
            removed = await self.direct.invalidate_indexes([index_key(t) for t in tags])
        except CacheError:
            return None
        return removed if _absorbed(self.direct) == before else None

    async def _move_epoch(self) -> bool:
        before = _absorbed(self.direct)
        try:
            await self.direct.set_many({EPOCH: uuid.uuid4().hex.encode()}, ttl=EPOCH_TTL)
        except CacheError:
            return False
        return _absorbed(self.direct) == before

    async def _move_epoch_when_back(self) -> None:
        while self.unconfirmed:
            if await self._move_epoch():
                self.unconfirmed = False
                logger.info("cache epoch moved: entries older than the lost invalidation retired")
                return
            await asyncio.sleep(FLUSH_RETRY)


def _absorbed(backend: CacheBackend) -> int:
    """Operations a fail-open backend answered without reaching its backend (0 otherwise)."""
    return int(getattr(backend, "absorbed", 0))
