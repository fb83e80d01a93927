"""The users subgraph's ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.app import create_app
from subgraphs.common.settings import UsersSettings
from subgraphs.users.api.schema import schema
from subgraphs.users.context import UsersContext
from subgraphs.users.login_limit import login_attempts
from subgraphs.users.tokens import TokenIssuer


def create_users_app(settings: UsersSettings | None = None) -> FastAPI:
    """Build the users subgraph against the database ``settings`` names."""
    settings = settings or UsersSettings()
    tokens = TokenIssuer(
        secret=settings.jwt_secret,
        issuer=settings.jwt_issuer,
        ttl_seconds=settings.jwt_ttl_seconds,
    )

    attempts = login_attempts(settings.redis_url)

    def context(sessions: async_sessionmaker[AsyncSession]) -> UsersContext:
        return UsersContext(sessions, tokens, attempts)

    app = create_app(service="users", schema=schema, settings=settings, context=context)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(of: FastAPI) -> AsyncIterator[Any]:
        async with inner(of) as state:
            yield state
        await attempts.aclose()

    app.router.lifespan_context = lifespan
    return app
