"""Reach the real Postgres and Redis, or fail loudly in CI.

Locally a test that needs a service which is not running is skipped with the reason;
in CI (CI=true) it fails, so a missing service can never pass unnoticed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

import asyncpg
import pytest

POSTGRES_HOST = os.environ.get("FEDTASKS_TEST_PG_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("FEDTASKS_TEST_PG_PORT", "5432"))
POSTGRES_USER = os.environ.get("FEDTASKS_TEST_PG_USER", "postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def reachable(host: str, port: int) -> bool:
    """Whether something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(service: str, host: str, port: int) -> None:
    """Fail (in CI) or skip (locally) unless the service answers."""
    if reachable(host, port):
        return
    message = f"{service} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message}; CI must provide it", pytrace=False)
    pytest.skip(message)


def postgres_url(database: str, *, port: int = POSTGRES_PORT) -> str:
    """The async SQLAlchemy URL of ``database`` on the test server."""
    return f"postgresql+asyncpg://{POSTGRES_USER}@{POSTGRES_HOST}:{port}/{database}"


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database="postgres"
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_postgres_database(prefix: str) -> str:
    """Create a fresh, empty database and return its name."""
    require("Postgres", POSTGRES_HOST, POSTGRES_PORT)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return name


def drop_postgres_database(name: str) -> None:
    """Drop a database made by ``create_postgres_database``."""
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
