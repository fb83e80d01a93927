"""The subgraphs' connection pool: DB_POOL_SIZE kept, DB_MAX_OVERFLOW more under a burst.

On the real Postgres (the pool settings apply to Postgres; SQLite files need no pool of
network connections): as many connections as pool plus overflow can be held at once, and
the next caller waits ``DB_TIMEOUT_SECONDS`` for one, then fails with the pool's timeout,
which the subgraphs report as SERVICE_UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AsyncExitStack

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine

from subgraphs.common.database import create_engine
from subgraphs.common.settings import TasksSettings
from tests.support.services import create_postgres_database, drop_postgres_database, postgres_url


@pytest.fixture
def database() -> Iterator[str]:
    name = create_postgres_database("fedtasks_test_pool")
    yield postgres_url(name)
    drop_postgres_database(name)


async def hold(stack: AsyncExitStack, engine: AsyncEngine) -> None:
    connection = await stack.enter_async_context(engine.connect())
    await connection.execute(text("SELECT 1"))


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("pool_size", "max_overflow", "at_once"),
    [(1, 0, 1), (1, 2, 3), (2, None, 4)],
    ids=["no overflow", "overflow of 2", "overflow defaults to the pool size"],
)
async def test_pool_and_overflow_bound_the_connections_held_at_once(
    database: str, pool_size: int, max_overflow: int | None, at_once: int
) -> None:
    engine = create_engine(
        database, pool_size=pool_size, max_overflow=max_overflow, timeout_seconds=0.2
    )
    try:
        async with AsyncExitStack() as stack:
            for _ in range(at_once):
                await hold(stack, engine)
            with pytest.raises(PoolTimeoutError):
                await hold(stack, engine)
        # Given back, they serve the next callers.
        async with AsyncExitStack() as stack:
            for _ in range(at_once):
                await hold(stack, engine)
    finally:
        await engine.dispose()


def test_the_settings_read_the_pool_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "4")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "0")

    settings = TasksSettings()

    assert (settings.db_pool_size, settings.db_max_overflow) == (4, 0)


def test_overflow_defaults_to_none_meaning_the_pool_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DB_MAX_OVERFLOW", raising=False)

    assert TasksSettings().db_max_overflow is None


@pytest.mark.parametrize(
    ("name", "value"), [("DB_MAX_OVERFLOW", "-1"), ("DB_POOL_SIZE", "0"), ("DB_MAX_OVERFLOW", "x")]
)
def test_a_bad_pool_setting_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError, match=name):
        TasksSettings()
