"""The users subgraph's DataLoaders, created anew for every request."""

from __future__ import annotations

from dataclasses import dataclass

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.loaders import mapping_loader
from subgraphs.users import repository
from subgraphs.users.models import UserRow


@dataclass(frozen=True)
class UsersLoaders:
    """Batch loaders of one request."""

    user_by_id: DataLoader[str, UserRow | None]


async def _users_by_ids(session: AsyncSession, ids: list[str]) -> dict[str, UserRow | None]:
    return dict(await repository.users_by_ids(session, ids=ids))


def create_loaders(sessions: async_sessionmaker[AsyncSession]) -> UsersLoaders:
    """Fresh loaders for one request."""
    return UsersLoaders(user_by_id=mapping_loader(sessions, _users_by_ids, missing=lambda _: None))
