"""Service settings read from the environment (pydantic-settings).

Each subgraph owns its own database, so each reads its own URL: ``USERS_DATABASE_URL``
or ``TASKS_DATABASE_URL``, with the plain ``DATABASE_URL`` as a fallback for a process
that runs one service only (a container, for example).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")
MIN_JWT_SECRET_BYTES = 32


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
    db_pool_size: int = Field(default=10, ge=1, validation_alias="DB_POOL_SIZE")
    # Connections opened past the pool under a burst, closed when returned; unset: as many
    # as the pool holds.
    db_max_overflow: int | None = Field(default=None, ge=0, validation_alias="DB_MAX_OVERFLOW")
    db_timeout_seconds: float = Field(default=5.0, validation_alias="DB_TIMEOUT_SECONDS")
    # On SIGTERM, how long requests in flight may take to finish (whole seconds, for uvicorn).
    shutdown_grace_seconds: int = Field(
        default=25, ge=0, validation_alias="FEDTASKS_SHUTDOWN_GRACE_SECONDS"
    )
    database_url: str
    # Production mode (the default) requires the router's secret and hides introspection.
    dev: bool = Field(default=False, validation_alias="FEDTASKS_DEV")
    subgraph_secret: str | None = Field(default=None, validation_alias="FEDTASKS_SUBGRAPH_SECRET")


class UsersSettings(ServiceSettings):
    """Settings of the users subgraph."""

    database_url: str = Field(
        default_factory=lambda: default_sqlite_url("users"),
        validation_alias=AliasChoices("USERS_DATABASE_URL", "DATABASE_URL"),
    )
    # signUp and login sign HS256 tokens the router verifies with the same secret.
    jwt_secret: str | None = Field(default=None, validation_alias="FEDTASKS_JWT_SECRET")
    jwt_issuer: str = Field(default="fedtasks", validation_alias="FEDTASKS_JWT_ISSUER")
    jwt_ttl_seconds: int = Field(default=3600, gt=0, validation_alias="FEDTASKS_JWT_TTL_SECONDS")
    # Failed logins are counted here when set, shared by replicas; in process otherwise.
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        # RFC 7518 section 3.2: an HS256 key is at least 256 bits.
        if value is not None and len(value.encode()) < MIN_JWT_SECRET_BYTES:
            raise ValueError(f"FEDTASKS_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes")
        return value


class TasksSettings(ServiceSettings):
    """Settings of the tasks subgraph."""

    database_url: str = Field(
        default_factory=lambda: default_sqlite_url("tasks"),
        validation_alias=AliasChoices("TASKS_DATABASE_URL", "DATABASE_URL"),
    )
