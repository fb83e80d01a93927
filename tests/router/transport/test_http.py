"""HttpTransport against a real users subgraph process: queries, pooling, and its absence."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from router.transport import HttpTransport, SubgraphRequest, TransportError
from tests.router.transport.servers import CountingProxy
from tests.support.auth import ROUTER_SECRET_HEADER, SUBGRAPH_SECRET, as_admin
from tests.support.processes import environment, free_port, running, wait_until_up

# The subgraph runs in production mode: it answers only calls carrying the router's secret.
ROUTER = {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}

CREATE_USER = """
mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id name } }
"""


@pytest.fixture(scope="module")
def users_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``fedtasks subgraph users`` on its embedded SQLite, for the whole module."""
    port = free_port()
    cwd = tmp_path_factory.mktemp("users")
    with running(["subgraph", "users", "--port", str(port)], cwd=cwd, env=environment()) as process:
        wait_until_up(f"http://127.0.0.1:{port}/health", process)
        yield port


@pytest.fixture
async def proxy(users_port: int) -> AsyncIterator[CountingProxy]:
    proxy = CountingProxy("127.0.0.1", users_port)
    await proxy.start()
    yield proxy
    await proxy.stop()


async def test_a_query_and_a_mutation_over_http(users_port: int) -> None:
    url = f"http://127.0.0.1:{users_port}/graphql"
    async with HttpTransport({"users": url}, headers=ROUTER) as transport:
        sdl = await transport.send("users", SubgraphRequest("{ _service { sdl } }"))
        created = await transport.send(
            "users",
            SubgraphRequest(
                CREATE_USER,
                {"input": {"name": "Ada", "email": "ada-http@example.com"}},
                operation_name="CreateUser",
                headers=as_admin(),
            ),
        )

    assert sdl.status == 200
    assert sdl.data is not None
    assert 'type User @cacheControl(maxAge: 60) @key(fields: "id")' in sdl.data["_service"]["sdl"]
    assert created.errors == []
    assert created.data is not None
    assert created.data["createUser"]["name"] == "Ada"


async def test_requests_one_after_another_reuse_one_connection(proxy: CountingProxy) -> None:
    url = f"http://127.0.0.1:{proxy.port}/graphql"
    async with HttpTransport({"users": url}, headers=ROUTER) as transport:
        for _ in range(10):
            response = await transport.send("users", SubgraphRequest("{ __typename }"))
            assert response.data == {"__typename": "Query"}

    assert proxy.connections == 1


async def test_concurrent_requests_share_a_bounded_pool(proxy: CountingProxy) -> None:
    url = f"http://127.0.0.1:{proxy.port}/graphql"
    async with HttpTransport({"users": url}, max_connections=5, headers=ROUTER) as transport:
        responses = await asyncio.gather(
            *(transport.send("users", SubgraphRequest("{ __typename }")) for _ in range(50))
        )

    assert [response.data for response in responses] == [{"__typename": "Query"}] * 50
    assert 1 <= proxy.connections <= 5


async def test_a_stopped_subgraph_is_unavailable(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    async with HttpTransport({"users": url}, headers=ROUTER) as transport:
        with running(
            ["subgraph", "users", "--port", str(port)], cwd=tmp_path, env=environment()
        ) as process:
            wait_until_up(f"http://127.0.0.1:{port}/health", process)
            answered = await transport.send("users", SubgraphRequest("{ __typename }"))

        with pytest.raises(TransportError) as raised:
            await transport.send("users", SubgraphRequest("{ __typename }"))

    assert answered.data == {"__typename": "Query"}
    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"
    assert raised.value.subgraph == "users"
