"""The users subgraph's request context."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.context import RequestContext
from subgraphs.users.loaders import UsersLoaders, create_loaders


class UsersContext(RequestContext):
    """Per-request state of the users subgraph."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(sessions)
        self.loaders: UsersLoaders = create_loaders(sessions)
