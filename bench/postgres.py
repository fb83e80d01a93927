"""Fresh Postgres databases for one benchmark run, dropped when it ends.

One database per subgraph (each subgraph owns its data), created on the server the admin
URL names (by default the local one, user postgres) under names no one else uses, and
dropped with their connections when the context exits, whatever happened.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url
from stack import StackError

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


async def _execute(admin_url: str, statements: Sequence[str]) -> None:
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def database_url(admin_url: str, database: str) -> str:
    """The async SQLAlchemy URL of ``database`` on the server of ``admin_url``."""
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


@contextmanager
def postgres_databases(admin_url: str, names: Sequence[str]) -> Iterator[dict[str, str]]:
    """A new empty database per name; yields each name's SQLAlchemy URL; drops them after."""
    run = secrets.token_hex(4)
    databases = {name: f"fedbench_{name}_{run}" for name in names}
    try:
        asyncio.run(_execute(admin_url, [f'CREATE DATABASE "{d}"' for d in databases.values()]))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise StackError(f"cannot create databases on {admin_url}: {error}") from error
    try:
        yield {name: database_url(admin_url, d) for name, d in databases.items()}
    finally:
        drops = [f'DROP DATABASE IF EXISTS "{d}" WITH (FORCE)' for d in databases.values()]
        asyncio.run(_execute(admin_url, drops))
