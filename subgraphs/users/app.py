"""The users subgraph's ASGI app."""

from __future__ import annotations

from fastapi import FastAPI

from subgraphs.common.app import create_app
from subgraphs.common.database import create_engine, create_sessionmaker
from subgraphs.common.metrics import ServiceMetrics
from subgraphs.common.settings import UsersSettings
from subgraphs.users.api.schema import schema
from subgraphs.users.context import UsersContext


def create_users_app(settings: UsersSettings | None = None) -> FastAPI:
    """Build the users subgraph against the database ``settings`` name."""
    settings = settings or UsersSettings()
    metrics = ServiceMetrics("users")
    engine = create_engine(
        settings.database_url,
        on_statement=metrics.count_statement,
        pool_size=settings.db_pool_size,
        timeout_seconds=settings.db_timeout_seconds,
    )
    sessions = create_sessionmaker(engine)

    async def context() -> UsersContext:
        return UsersContext(sessions)

    app = create_app(
        service="users", schema=schema, engine=engine, metrics=metrics, context=context
    )
    app.state.metrics = metrics
    return app
