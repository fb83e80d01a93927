"""Service settings read from the environment (pydantic-settings).

Each subgraph owns its own database, so each reads its own URL: ``USERS_DATABASE_URL``
or ``TASKS_DATABASE_URL``, with the plain ``DATABASE_URL`` as a fallback for a process
that runs one service only (a container, for example).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


def normalise_database_url(url: str) -> str:
    """Return ``url`` with the async driver the project uses for its dialect.

    ``postgres://`` and ``postgresql://`` become ``postgresql+asyncpg://`` and
    ``sqlite://`` becomes ``sqlite+aiosqlite://``, so users can paste the URL their
    provider gives them.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def default_sqlite_url(service: str) -> str:
    """The embedded default: a SQLite file per service under ``./data``."""
    return f"sqlite+aiosqlite:///{DATA_DIR / f'{service}.db'}"


class ServiceSettings(BaseSettings):
    """Settings common to every subgraph process."""

    model_config = SettingsConfigDict(extra="ignore")

    log_level: str = Field(default="info", validation_alias="LOG_LEVEL")
    db_pool_size: int = Field(default=10, validation_alias="DB_POOL_SIZE")
    db_timeout_seconds: float = Field(default=5.0, validation_alias="DB_TIMEOUT_SECONDS")
    database_url: str


class UsersSettings(ServiceSettings):
    """Settings of the users subgraph."""

    database_url: str = Field(
        default_factory=lambda: default_sqlite_url("users"),
        validation_alias=AliasChoices("USERS_DATABASE_URL", "DATABASE_URL"),
    )


class TasksSettings(ServiceSettings):
    """Settings of the tasks subgraph."""

    database_url: str = Field(
        default_factory=lambda: default_sqlite_url("tasks"),
        validation_alias=AliasChoices("TASKS_DATABASE_URL", "DATABASE_URL"),
    )
