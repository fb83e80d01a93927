"""CSRF prevention at the GraphQL endpoint: requests a browser sends without a preflight."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from router.server.app import create_router_app
from router.server.csrf import PREFLIGHT_HEADERS
from tests.router.server.test_app import GraphQLCorePipeline

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERY = {"query": "{ hello }"}


@pytest.fixture
def pipeline() -> GraphQLCorePipeline:
    return GraphQLCorePipeline()


@pytest.fixture
async def client(pipeline: GraphQLCorePipeline) -> AsyncIterator[httpx.AsyncClient]:
    app = create_router_app(pipeline)  # CSRF prevention is on by default
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://router") as http:
        yield http


def assert_csrf_prevented(response: httpx.Response) -> None:
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "CSRF_PREVENTED"}
    assert "Cross-Site Request Forgery" in error["message"]
    assert "apollo-require-preflight" in error["message"]


async def test_a_get_without_a_preflight_header_is_refused(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline
) -> None:
    for accept in (None, "application/json", BROWSER_ACCEPT):
        headers = {"Accept": accept} if accept else {}
        assert_csrf_prevented(await client.get("/graphql", params=QUERY, headers=headers))
    # HEAD is a GET without the body.
    assert (await client.head("/graphql", params=QUERY)).status_code == 400
    assert pipeline.requests == []


@pytest.mark.parametrize("header", PREFLIGHT_HEADERS)
async def test_any_non_empty_preflight_header_lets_a_get_through(
    client: httpx.AsyncClient, header: str
) -> None:
    response = await client.get("/graphql", params=QUERY, headers={header: "1"})
    assert response.json() == {"data": {"hello": "hello world"}}
    assert_csrf_prevented(await client.get("/graphql", params=QUERY, headers={header: " "}))


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        " Text/Plain ",
    ],
)
async def test_a_post_a_browser_sends_without_preflight_is_refused(
    client: httpx.AsyncClient, pipeline: GraphQLCorePipeline, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert_csrf_prevented(response)
    # With the header it is a GraphQL client's request, refused for its content type alone.
    headers["apollo-require-preflight"] = "true"
    response = await client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert response.status_code == 415
    assert pipeline.requests == []


@pytest.mark.parametrize("content_type", ["application/json", "application/graphql"])
async def test_a_post_with_another_content_type_needs_no_header(
    client: httpx.AsyncClient, content_type: str
) -> None:
    # Browsers preflight these cross-site: CORS decides. JSON runs, the rest is a 415.
    response = await client.post(
        "/graphql", content=b'{"query": "{ hello }"}', headers={"Content-Type": content_type}
    )
    assert response.status_code == (200 if content_type == "application/json" else 415)


async def test_a_browser_still_opens_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


async def test_csrf_prevention_can_be_turned_off(pipeline: GraphQLCorePipeline) -> None:
    app = create_router_app(pipeline, csrf_prevention=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://router") as http:
        response = await http.get("/graphql", params=QUERY)
    assert response.json() == {"data": {"hello": "hello world"}}
