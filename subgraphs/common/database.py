"""Async SQLAlchemy engines and sessions, on Postgres (asyncpg) or SQLite (aiosqlite).

Every statement the engine sends is counted, so tests and ``/metrics`` can prove that
no request costs a query per item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from subgraphs.common.settings import normalise_database_url

StatementHook = Callable[[], None]


def create_engine(
    url: str,
    *,
    on_statement: StatementHook | None = None,
    pool_size: int = 10,
    max_overflow: int | None = None,
    timeout_seconds: float = 5.0,
) -> AsyncEngine:
    """Create the service's engine and hook ``on_statement`` to every statement it runs.

    SQLite files get their folder created, WAL journaling and a busy timeout so that
    concurrent sessions do not fail with "database is locked". Postgres connections are
    pinged before use so that the pool recovers by itself after the database restarts;
    the pool keeps ``pool_size`` connections and opens up to ``max_overflow`` more under a
    burst (as many as ``pool_size`` when None).
    """
    url = normalise_database_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        ensure_sqlite_directory(url)
        kwargs["connect_args"] = {"timeout": timeout_seconds}
    else:
        kwargs.update(
            pool_size=pool_size,
            max_overflow=pool_size if max_overflow is None else max_overflow,
            pool_timeout=timeout_seconds,
            connect_args={"timeout": timeout_seconds, "command_timeout": timeout_seconds * 6},
        )
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    if on_statement is not None:
        hook = on_statement

        def count(*_args: object, **_kwargs: object) -> None:
            hook()

        event.listen(engine.sync_engine, "before_cursor_execute", count)
    return engine


def ensure_sqlite_directory(url: str) -> None:
    """Create the folder of a SQLite file URL (``./data`` by default); others are left alone."""
    parsed = make_url(normalise_database_url(url))
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(dbapi_connection: Any, _record: object) -> None:
    # SQLite's lower() folds ASCII only; Python's folds every script, as Postgres does,
    # so case-insensitive search finds "Élan" for "élan" on both.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (no lazy reloads)."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine, *, timeout_seconds: float = 2.0) -> bool:
    """Return whether the database answers ``SELECT 1`` within ``timeout_seconds``."""
    try:
        async with asyncio.timeout(timeout_seconds):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True
