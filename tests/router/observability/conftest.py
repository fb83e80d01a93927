"""Fixtures: both subgraphs in process (on SQLite and on Postgres), seeded with one task."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from tests.router.observability.stack import seed
from tests.support.apps import serve_in_process


@pytest.fixture
async def subgraph_apps(users_url: str, tasks_url: str) -> AsyncIterator[dict[str, FastAPI]]:
    """The users and tasks apps, lifespans running, with one user and one task."""
    async with (
        serve_in_process("users", users_url) as (users, users_http),
        serve_in_process("tasks", tasks_url) as (tasks, tasks_http),
    ):
        await seed(users_http, tasks_http)
        yield {"users": users, "tasks": tasks}
