"""Run a subgraph app in-process over ASGI, with its lifespan, on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from subgraphs.common.migrations import upgrade_async
from subgraphs.common.settings import TasksSettings, UsersSettings
from subgraphs.tasks.app import create_tasks_app
from subgraphs.users.app import create_users_app
from tests.support.auth import JWT_SECRET


def build_app(
    service: str,
    database_url: str,
    *,
    dev: bool = True,
    subgraph_secret: str | None = None,
    jwt_secret: str | None = JWT_SECRET,
) -> FastAPI:
    """The app of ``service`` on ``database_url``, in dev mode unless ``dev`` is False.

    ``subgraph_secret`` is the router's secret it requires (production mode needs one);
    the users subgraph signs its tokens with ``jwt_secret``.
    """
    common: dict[str, Any] = {"FEDTASKS_DEV": dev, "FEDTASKS_SUBGRAPH_SECRET": subgraph_secret}
    if service == "users":
        return create_users_app(
            UsersSettings(USERS_DATABASE_URL=database_url, FEDTASKS_JWT_SECRET=jwt_secret, **common)
        )
    return create_tasks_app(TasksSettings(TASKS_DATABASE_URL=database_url, **common))


@asynccontextmanager
async def serve_in_process(
    service: str,
    database_url: str,
    *,
    migrate: bool = True,
    dev: bool = True,
    subgraph_secret: str | None = None,
    jwt_secret: str | None = JWT_SECRET,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app (``build_app``'s options) and an httpx client wired to it over ASGI."""
    if migrate:
        await upgrade_async(service, database_url)
    app = build_app(
        service, database_url, dev=dev, subgraph_secret=subgraph_secret, jwt_secret=jwt_secret
    )
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http:
            yield app, http
