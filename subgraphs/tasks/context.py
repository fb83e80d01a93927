"""The tasks subgraph's request context."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.context import RequestContext
from subgraphs.tasks.loaders import TasksLoaders, create_loaders


class TasksContext(RequestContext):
    """Per-request state of the tasks subgraph."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(sessions)
        self.loaders: TasksLoaders = create_loaders(sessions)
