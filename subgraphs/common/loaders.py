"""DataLoader helpers: batch functions that open their own session per batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Fetch = Callable[[AsyncSession, list[K]], Awaitable[Mapping[K, V]]]


def mapping_loader(
    sessions: async_sessionmaker[AsyncSession],
    fetch: Fetch[K, V],
    *,
    missing: Callable[[K], V],
) -> DataLoader[K, V]:
    """A DataLoader whose batch runs ``fetch`` once, in a session of its own.

    ``fetch`` returns a mapping from key to value; keys it leaves out get
    ``missing(key)`` (None for an unknown entity, 0 for a count, an empty page...).
    """

    async def batch(keys: list[K]) -> list[V]:
        async with sessions() as session:
            found = await fetch(session, keys)
        return [found[key] if key in found else missing(key) for key in keys]

    return DataLoader(batch)
