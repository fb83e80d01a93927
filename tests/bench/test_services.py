"""The suite's own services: fresh Postgres databases and a private redis-server, for real."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
import redis
from postgres import database_url, postgres_databases
from redis_server import redis_server
from stack import Stack, StackError, secret_header

from tests.support.processes import free_port
from tests.support.services import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, require

ADMIN_URL = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"


async def _databases() -> set[str]:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        rows = await connection.fetch("SELECT datname FROM pg_database")
        return {row["datname"] for row in rows}
    finally:
        await connection.close()


def test_a_database_url_is_sqlalchemys_asyncpg_url() -> None:
    assert (
        database_url("postgresql://postgres:pw@db.example:6543/postgres", "fedbench_users_1")
        == "postgresql+asyncpg://postgres:pw@db.example:6543/fedbench_users_1"
    )


@pytest.mark.postgres
def test_databases_are_created_for_the_run_and_dropped_after() -> None:
    require("Postgres", POSTGRES_HOST, POSTGRES_PORT)
    with postgres_databases(ADMIN_URL, ("users", "tasks")) as urls:
        names = {url.rsplit("/", 1)[1] for url in urls.values()}
        assert set(urls) == {"users", "tasks"}
        assert all(name.startswith("fedbench_") for name in names)
        assert names <= asyncio.run(_databases())
    assert not names & asyncio.run(_databases())


def test_an_unreachable_postgres_is_a_setup_error() -> None:
    port = free_port()  # nothing listens there
    with (
        pytest.raises(StackError, match="cannot create databases"),
        postgres_databases(f"postgresql://postgres@127.0.0.1:{port}/postgres", ("users",)),
    ):
        pass


def test_a_private_redis_answers_until_the_run_ends(tmp_path: Path) -> None:
    with redis_server(tmp_path) as server:
        client = redis.Redis.from_url(server.url)
        assert client.ping()
        client.close()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(server.url, socket_timeout=1).ping()


def test_a_stack_names_its_services_and_the_subgraphs_secret(tmp_path: Path) -> None:
    env = {"FEDTASKS_SUBGRAPH_SECRET": "s" * 64, "FEDTASKS_JWT_SECRET": "j" * 64}
    urls = {name: f"http://127.0.0.1:{port}/graphql" for port, name in enumerate(
        ("users", "tasks", "router", "gateway"), start=4001)}  # fmt: skip
    stack = Stack(urls=urls, supergraph=tmp_path, logs=tmp_path, pids={}, env=env)
    assert (stack.users, stack.router, stack.gateway) == (
        urls["users"],
        urls["router"],
        urls["gateway"],
    )
    assert stack.subgraph("tasks") == urls["tasks"]
    assert stack.subgraph_headers == {"x-fedtasks-router-secret": "s" * 64} == secret_header(env)
    assert stack.jwt_secret == "j" * 64
    with pytest.raises(KeyError):
        _ = stack.cached
