"""Cached entries in the backend: read in one round trip with the epoch, written safely.

An entry is ``[stored_at, ttl, cost, value, epoch]`` (orjson) under its key, or under its
key and the caller's identity digest for data kept per caller. A lookup reads the shared
entry and the caller's own, and the cache's current epoch, in one ``get_many``; an entry
of another epoch, or close to expiry and chosen for early refresh (XFetch: Vattani et al.,
"Optimal Probabilistic Cache Stampede Prevention", VLDB 2015), is a miss.

A store writes only what no invalidation marked since its fetch started: the markers of
its tags are read before the write, and again after it is indexed (an invalidation in
between would have missed it), and what they then show stale is deleted. It returns the
keys it kept, so that callers waiting on the fetch are handed only data a later reader
could also have been served.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from router.cache.backend import CacheBackend
from router.cache.entity_metrics import EntityCacheMetrics
from router.cache.invalidation import EPOCH, epoch_of, index_key, marker_key
from router.cache.policy import CacheControl

EARLY_REFRESH_BETA = 1.0


@dataclass(frozen=True)
class Found:
    """A cached value, with what its entry allows the client's answer."""

    value: Any
    control: CacheControl


MISS: Any = object()
"""A key the lookup found nothing usable under."""


@dataclass(frozen=True)
class Lookup:
    """What one lookup found, and what its hits allow the client's answer.

    ``values`` has the value per key (``MISS`` where nothing); ``control`` the hits'
    shortest remaining TTL, private if any hit was (None without hits); ``epoch`` the one
    the lookup read.
    """

    values: list[Any]
    control: CacheControl | None
    epoch: str


class Entries:
    """Reads and writes entries of one backend."""

    def __init__(
        self,
        backend: CacheBackend,
        metrics: EntityCacheMetrics,
        *,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.backend = backend
        self.metrics = metrics
        self.clock = clock
        self.rand = rand

    async def lookup(self, keys: Sequence[str], identity: str | None) -> Lookup:
        """The cached value per key: the shared entry first, then the caller's own one."""
        count = len(keys)
        names = [EPOCH, *keys]
        if identity is not None:
            names += [f"{k}:{identity}" for k in keys]
        raw = await self.backend.get_many(names)
        epoch = epoch_of(raw[0])
        now = self.clock()
        values: list[Any] = []
        left = math.inf
        private = False
        for index in range(count):
            value, remaining = self._fresh(raw[1 + index], now, epoch)
            if value is MISS and identity is not None:
                value, remaining = self._fresh(raw[1 + count + index], now, epoch)
                private = private or value is not MISS
            if value is not MISS and remaining < left:
                left = remaining
            values.append(value)
        control = None
        if left != math.inf:
            control = CacheControl(max_age=left, private=private, public=not private)
        return Lookup(values, control, epoch)

    def _fresh(self, blob: bytes | None, now: float, epoch: str) -> tuple[Any, float]:
        """The stored value and its remaining TTL.

        MISS when missing, of another epoch, or chosen for early refresh.
        """
        if blob is None:
            return MISS, 0.0
        entry = orjson.loads(blob)
        if len(entry) != 5 or entry[4] != epoch:
            return MISS, 0.0
        stored_at, ttl, cost, value, _ = entry
        expiry = stored_at + ttl
        # XFetch: refresh early with a probability that rises as expiry approaches.
        if now - cost * EARLY_REFRESH_BETA * math.log(max(self.rand(), 1e-12)) >= expiry:
            return MISS, 0.0
        return value, expiry - now

    async def store(
        self,
        values: Mapping[str, Any],
        tags: Mapping[str, list[str]],
        *,
        ttl: float,
        started: float,
        owner: str | None,
        epoch: str,
        label: str,
    ) -> set[str]:
        """Store ``values`` (under ``owner``'s identity when given); the keys kept."""
        if not values:
            return set()
        every_tag = sorted({t for entry_tags in tags.values() for t in entry_tags})
        stale = await self._marked_since(every_tag, started)
        now = self.clock()
        cost = max(now - started, 0.0)
        suffix = f":{owner}" if owner else ""
        items: dict[str, bytes] = {}
        memberships: dict[str, list[str]] = {}
        kept: set[str] = set()
        for key, value in values.items():
            if stale.intersection(tags[key]):
                continue  # invalidated while it was being fetched
            kept.add(key)
            items[key + suffix] = orjson.dumps([now, ttl, cost, value, epoch])
            for tag in tags[key]:
                memberships.setdefault(index_key(tag), []).append(key + suffix)
        if not items:
            return kept
        await self.backend.set_many(items, ttl=ttl)
        await self.backend.add_to_indexes(memberships, ttl=ttl)
        # An invalidation between the check above and the indexing would miss these
        # entries: look at the markers again and take back what it should have removed.
        late = await self._marked_since(every_tag, started) - stale
        if late:
            taken_back = [key for key in kept if late.intersection(tags[key])]
            await self.backend.delete_many([key + suffix for key in taken_back])
            kept.difference_update(taken_back)
        self.metrics.stores.labels(label).inc(len(kept))
        return kept

    async def _marked_since(self, tags: Sequence[str], started: float) -> set[str]:
        markers = await self.backend.get_many([marker_key(t) for t in tags])
        return {
            tag
            for tag, marker in zip(tags, markers, strict=True)
            if marker is not None and orjson.loads(marker) >= started
        }
