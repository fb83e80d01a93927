"""The CacheBackend protocol: byte values under string keys, with TTLs and invalidation indexes.

Everything the router caches (entities, root fields, plans, persisted queries) goes through
this one small interface, with an in-process and a Redis implementation behind it. Values
are opaque bytes: callers encode them (orjson) and keep in them whatever else they need,
such as the time an entry was written for probabilistic early refresh.

Invalidation works through indexes: an index is a named set of entry keys with its own
TTL. The entity cache adds each entry it stores to the indexes it must be found by later
(its entity, its type), and a mutation invalidates an index, which deletes every entry in
it. Entry keys and index names live in separate spaces, so an index may share a name with
an entry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol


class CacheError(Exception):
    """The backend could not answer: unreachable, timed out, or refused the command.

    Backends convert their own errors (redis-py's, socket errors) to this at the boundary.
    The fail-open wrapper absorbs this and, as a cache must never fail a request, anything
    else a backend raises too; only the latter is logged with its traceback, as a bug.
    """


class CacheBackend(Protocol):
    """Stores byte values under string keys until their TTL passes or they are invalidated."""

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The value of each key in order, None where it is missing or expired."""
        ...

    async def set_many(self, items: Mapping[str, bytes], *, ttl: float) -> None:
        """Store every item for ``ttl`` seconds (positive, finite), replacing what was there."""
        ...

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Delete these entries; missing ones are ignored."""
        ...

    async def add_to_indexes(self, memberships: Mapping[str, Sequence[str]], *, ttl: float) -> None:
        """Add entry keys to each named index, and keep each index for at least ``ttl`` seconds.

        An index never expires before the longest TTL it was given, so it outlives the
        entries added with the same TTL and can still invalidate them.
        """
        ...

    async def invalidate_indexes(self, indexes: Sequence[str]) -> int:
        """Delete every entry in these indexes and the indexes; return how many entries went."""
        ...

    async def clear(self, prefix: str = "") -> None:
        """Delete every entry and index whose name starts with ``prefix`` (all by default)."""
        ...

    async def aclose(self) -> None:
        """Release connections; the backend is not used afterwards."""
        ...


def require_positive_ttl(ttl: float) -> None:
    """Refuse a TTL that would store nothing or store forever: both are caller bugs."""
    if not (ttl > 0 and math.isfinite(ttl)):
        raise ValueError(f"a cache TTL must be a positive, finite number of seconds, got {ttl!r}")
