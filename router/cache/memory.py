"""The embedded cache: an in-process TTL cache with a size bound and LRU eviction.

It is the default when no REDIS_URL is set, and it keeps the Redis backend's semantics
(TTLs, indexes, prefixes) so that the entity cache behaves the same on either. It is
private to one process: replicas do not share it, so invalidation reaches only the
replica that saw the mutation.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from router.cache.backend import require_positive_ttl

Clock = Callable[[], float]


@dataclass
class _Entry:
    value: bytes
    expires_at: float


@dataclass
class _Index:
    members: set[str] = field(default_factory=set)
    expires_at: float = float("-inf")


class MemoryBackend:
    """A CacheBackend in a dict: at most ``max_entries`` entries, least recently used go first.

    Indexes are bounded by the same number. Evicting an index would leave its entries
    impossible to invalidate, so it deletes them with it: the cache may forget, never
    serve what should have been invalidated. ``clock`` is monotonic seconds (injectable so
    tests can move time without sleeping).
    """

    def __init__(self, *, max_entries: int = 10_000, clock: Clock = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._indexes: OrderedDict[str, _Index] = OrderedDict()

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The live value of each key; a hit makes the entry the most recently used."""
        now = self._clock()
        values: list[bytes | None] = []
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at <= now:
                del self._entries[key]
                entry = None
            if entry is not None:
                self._entries.move_to_end(key)
            values.append(None if entry is None else entry.value)
        return values

    async def set_many(self, items: Mapping[str, bytes], *, ttl: float) -> None:
        """Store the items as the most recently used, evicting the least recently used."""
        require_positive_ttl(ttl)
        expires_at = self._clock() + ttl
        for key, value in items.items():
            self._entries[key] = _Entry(bytes(value), expires_at)
            self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Drop these entries."""
        for key in keys:
            self._entries.pop(key, None)

    async def add_to_indexes(self, memberships: Mapping[str, Sequence[str]], *, ttl: float) -> None:
        """Add keys to indexes; an index's expiry only ever moves later (as in Redis)."""
        require_positive_ttl(ttl)
        now = self._clock()
        for name, keys in memberships.items():
            index = self._live_index(name, now)
            if index is None:
                index = self._indexes[name] = _Index()
            index.members.update(keys)
            index.expires_at = max(index.expires_at, now + ttl)
            self._indexes.move_to_end(name)
        while len(self._indexes) > self.max_entries:
            _name, evicted = self._indexes.popitem(last=False)
            await self.delete_many(list(evicted.members))

    async def invalidate_indexes(self, indexes: Sequence[str]) -> int:
        """Delete the indexes and their live entries; count the entries deleted."""
        now = self._clock()
        deleted = 0
        for name in indexes:
            index = self._live_index(name, now)
            self._indexes.pop(name, None)
            if index is None:
                continue
            for key in index.members:
                entry = self._entries.pop(key, None)
                if entry is not None and entry.expires_at > now:
                    deleted += 1
        return deleted

    async def clear(self, prefix: str = "") -> None:
        """Delete entries and indexes whose names start with ``prefix``."""
        for key in [key for key in self._entries if key.startswith(prefix)]:
            del self._entries[key]
        for name in [name for name in self._indexes if name.startswith(prefix)]:
            del self._indexes[name]

    async def aclose(self) -> None:
        """Drop everything; there is nothing else to release."""
        self._entries.clear()
        self._indexes.clear()

    def _live_index(self, name: str, now: float) -> _Index | None:
        index = self._indexes.get(name)
        if index is not None and index.expires_at <= now:
            del self._indexes[name]
            return None
        return index
