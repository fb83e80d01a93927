"""Request size limits: bodies refused while they are read, GET query strings bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from router.server.app import create_router_app
from tests.router.server.test_app import GraphQLCorePipeline

LIMIT = 1000


@pytest.fixture
def pipeline() -> GraphQLCorePipeline:
    return GraphQLCorePipeline()


@pytest.fixture
async def client(pipeline: GraphQLCorePipeline) -> AsyncIterator[httpx.AsyncClient]:
    app = create_router_app(pipeline, max_body_bytes=LIMIT)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://router", headers={"graphql-preflight": "1"}
    ) as http:
        yield http


def body_of_size(size: int) -> bytes:
    """A valid request body of exactly ``size`` bytes (a query padded with spaces)."""
    body = orjson.dumps({"query": "{ hello }"})
    return body[:-1] + b" " * (size - len(body)) + b"}"


def assert_too_large(response: httpx.Response, status: int = 413) -> None:
    assert response.status_code == status
    assert response.json() == {
        "errors": [
            {
                "message": response.json()["errors"][0]["message"],
                "extensions": {"code": "REQUEST_TOO_LARGE"},
            }
        ]
    }
    assert f"more than the limit of {LIMIT} bytes" in response.json()["errors"][0]["message"]


async def test_a_body_at_the_limit_runs(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=body_of_size(LIMIT), headers={"Content-Type": "application/json"}
    )
    assert response.json() == {"data": {"hello": "hello world"}}


async def test_a_declared_length_over_the_limit_is_refused_unread(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    response = await client.post(
        "/graphql", content=body_of_size(LIMIT + 1), headers={"Content-Type": "application/json"}
    )
    assert_too_large(response)
    assert pipeline.requests == []


async def test_a_streamed_body_is_refused_at_the_chunk_that_crosses_the_limit(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        # No Content-Length: the body arrives in chunks of 100 bytes, 100 of them.
        yield b'{"query": "{ hello }", "x": "'
        for n in range(100):
            sent.append(n)
            yield b"x" * 100
        yield b'"}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_too_large(response)
    # The router stopped reading at the 10th chunk; the rest was never taken from the client.
    assert len(sent) < 20
    assert pipeline.requests == []


async def test_a_get_query_string_over_the_limit_is_414(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ hello }" + " " * LIMIT})
    assert_too_large(response, status=414)


async def test_no_limit_by_default(pipeline: GraphQLCorePipeline) -> None:
    app = create_router_app(pipeline)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://router") as http:
        response = await http.post(
            "/graphql",
            content=body_of_size(100 * LIMIT),
            headers={"Content-Type": "application/json"},
        )
    assert response.json() == {"data": {"hello": "hello world"}}
