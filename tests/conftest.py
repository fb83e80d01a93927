"""Fixtures shared by every test: databases on SQLite and the real Postgres, subgraph apps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.support.apps import serve_in_process
from tests.support.graphql import GraphQLClient
from tests.support.services import create_postgres_database, drop_postgres_database, postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs on the embedded SQLite and on the real Postgres."""
    return str(request.param)


def _database_url(backend: str, service: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}"
        return
    name = create_postgres_database(f"fedtasks_test_{service}")
    try:
        yield postgres_url(name)
    finally:
        drop_postgres_database(name)


@pytest.fixture
def users_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty users database."""
    yield from _database_url(backend, "users", tmp_path)


@pytest.fixture
def tasks_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty tasks database."""
    yield from _database_url(backend, "tasks", tmp_path)


@pytest.fixture
async def users_app(users_url: str) -> AsyncIterator[tuple[FastAPI, GraphQLClient]]:
    """The users subgraph in-process, migrated, with a GraphQL client."""
    async with serve_in_process("users", users_url) as (app, http):
        yield app, GraphQLClient(http)


@pytest.fixture
async def tasks_app(tasks_url: str) -> AsyncIterator[tuple[FastAPI, GraphQLClient]]:
    """The tasks subgraph in-process, migrated, with a GraphQL client."""
    async with serve_in_process("tasks", tasks_url) as (app, http):
        yield app, GraphQLClient(http)


@pytest.fixture
def users(users_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    """A GraphQL client of the users subgraph."""
    return users_app[1]


@pytest.fixture
def tasks(tasks_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    """A GraphQL client of the tasks subgraph."""
    return tasks_app[1]
