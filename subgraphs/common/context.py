"""The request context both subgraphs build per GraphQL request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.fastapi import BaseContext

from subgraphs.common.caller import Caller
from subgraphs.common.invalidation import Invalidations


class RequestContext(BaseContext):
    """Per-request state: the session factory, the request's DataLoaders, what it changed.

    Resolvers never share an AsyncSession: each DataLoader batch and each mutation opens
    its own session from ``sessions`` and closes it when done, so resolvers that run
    concurrently cannot interleave statements on one connection. Mutations name what they
    changed in ``invalidations``, for the router's cache (``subgraphs.common.invalidation``).
    ``caller`` is who the router says is calling (None: anonymous); ``introspection`` is
    off in production mode. The app sets both for each request.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__()
        self.sessions = sessions
        self.invalidations = Invalidations()
        self.caller: Caller | None = None
        self.introspection = True
