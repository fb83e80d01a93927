"""Alembic migrations per service, run without an alembic.ini.

Each service keeps its revisions in ``subgraphs/<service>/migrations/versions``; its
``env.py`` only hands its metadata to ``run_env``. ``upgrade`` is what
``fedtasks db upgrade`` and the start of ``fedtasks subgraph`` call.
"""

from __future__ import annotations

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from subgraphs.common.database import ensure_sqlite_directory
from subgraphs.common.settings import normalise_database_url


def alembic_config(service: str, url: str) -> Config:
    """The Alembic configuration of ``service`` against the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", f"subgraphs.{service}:migrations")
    config.attributes["url"] = normalise_database_url(url)
    return config


def upgrade(service: str, url: str, revision: str = "head") -> None:
    """Apply ``service``'s migrations up to ``revision`` (blocking; not in an event loop)."""
    ensure_sqlite_directory(url)
    command.upgrade(alembic_config(service, url), revision)


async def upgrade_async(service: str, url: str, revision: str = "head") -> None:
    """``upgrade`` from async code: Alembic runs its own event loop, so use a thread."""
    await asyncio.to_thread(upgrade, service, url, revision)


def run_env(metadata: MetaData) -> None:
    """The body of every service's ``env.py``: run the migrations online, async."""
    url = context.config.attributes["url"]

    def run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(main())
