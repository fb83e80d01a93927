"""The users subgraph's ASGI app."""

from __future__ import annotations

from fastapi import FastAPI

from subgraphs.common.app import create_app
from subgraphs.common.settings import UsersSettings
from subgraphs.users.api.schema import schema
from subgraphs.users.context import UsersContext


def create_users_app(settings: UsersSettings | None = None) -> FastAPI:
    """Build the users subgraph against the database ``settings`` names."""
    return create_app(
        service="users", schema=schema, settings=settings or UsersSettings(), context=UsersContext
    )
