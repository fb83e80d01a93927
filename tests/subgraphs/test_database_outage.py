"""A database that goes away: /ready fails, requests error cleanly, recovery is automatic.

The real Postgres sits behind a TCP proxy that the test stops and restarts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from subgraphs.common.migrations import upgrade_async
from tests.support.apps import serve_in_process
from tests.support.graphql import GraphQLClient
from tests.support.services import (
    POSTGRES_HOST,
    POSTGRES_PORT,
    create_postgres_database,
    drop_postgres_database,
    postgres_url,
)
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def database() -> Iterator[str]:
    name = create_postgres_database("fedtasks_test_outage")
    yield name
    drop_postgres_database(name)


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy(POSTGRES_HOST, POSTGRES_PORT)
    await proxy.start()
    yield proxy
    await proxy.stop()


@pytest.mark.parametrize("service", ["users", "tasks"])
async def test_outage_then_recovery_without_restart(
    service: str, database: str, proxy: TcpProxy
) -> None:
    await upgrade_async(service, postgres_url(database))
    query = "{ users { totalCount } }" if service == "users" else "{ tasks { totalCount } }"
    async with serve_in_process(
        service, postgres_url(database, port=proxy.port), migrate=False
    ) as (
        _app,
        http,
    ):
        client = GraphQLClient(http)
        assert (await http.get("/ready")).status_code == 200
        assert await client.data(query)

        await proxy.stop()
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        error = await client.error(query)
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "requestId" in error["extensions"]
        assert "asyncpg" not in error["message"]
        assert (await http.get("/health")).status_code == 200

        await proxy.start()
        assert (await http.get("/ready")).status_code == 200
        assert await client.data(query)
