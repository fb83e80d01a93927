"""Run a subgraph app in-process over ASGI, with its lifespan, on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from subgraphs.common.migrations import upgrade_async
from subgraphs.common.settings import TasksSettings, UsersSettings
from subgraphs.tasks.app import create_tasks_app
from subgraphs.users.app import create_users_app


def build_app(service: str, database_url: str) -> FastAPI:
    """The app of ``service`` on ``database_url``."""
    if service == "users":
        return create_users_app(UsersSettings(USERS_DATABASE_URL=database_url))
    return create_tasks_app(TasksSettings(TASKS_DATABASE_URL=database_url))


@asynccontextmanager
async def serve_in_process(
    service: str, database_url: str, *, migrate: bool = True
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app and an httpx client wired to it over ASGI, lifespan running."""
    if migrate:
        await upgrade_async(service, database_url)
    app = build_app(service, database_url)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http:
            yield app, http
