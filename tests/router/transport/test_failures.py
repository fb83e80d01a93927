"""What HttpTransport sends, and how each way a subgraph can fail becomes a TransportError."""

from __future__ import annotations

import orjson
import pytest

import router.transport
from router.transport import HttpTransport, SubgraphRequest, TransportError
from tests.router.transport.servers import TinyHttpServer, echo, http_answer, request_headers
from tests.support.processes import free_port

TYPENAME = SubgraphRequest("{ __typename }")


async def test_the_request_is_graphql_over_http_json_with_merged_headers() -> None:
    request = SubgraphRequest(
        "query Me($id: ID!) { user(id: $id) { id } }",
        {"id": "7"},
        operation_name="Me",
        headers={"Authorization": "Bearer abc", "X-Trace": "request"},
    )
    defaults = {"x-trace": "default", "x-router": "fedtasks", "content-type": "text/plain"}

    async with (
        TinyHttpServer(echo) as server,
        HttpTransport({"users": server.url}, headers=defaults) as transport,
    ):
        response = await transport.send("users", request)

    assert response.data is not None
    assert response.data["body"] == {
        "query": "query Me($id: ID!) { user(id: $id) { id } }",
        "variables": {"id": "7"},
        "operationName": "Me",
    }
    headers = response.data["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/graphql-response+json, application/json"
    assert headers["authorization"] == "Bearer abc"
    assert headers["x-trace"] == "request"
    assert headers["x-router"] == "fedtasks"


async def test_a_subgraph_that_never_answers_times_out() -> None:
    async with (
        TinyHttpServer(None) as server,
        HttpTransport({"users": server.url}, timeout=0.2) as transport,
    ):
        with pytest.raises(TransportError) as raised:
            await transport.send("users", TYPENAME)

    assert raised.value.code == "SUBGRAPH_TIMEOUT"
    assert raised.value.subgraph == "users"


async def test_nothing_listening_is_unavailable() -> None:
    url = f"http://127.0.0.1:{free_port()}/graphql"
    async with HttpTransport({"users": url}) as transport:
        with pytest.raises(TransportError) as raised:
            await transport.send("users", TYPENAME)

    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"


async def test_an_unknown_subgraph_is_unavailable() -> None:
    async with HttpTransport({"users": "http://127.0.0.1:1/graphql"}) as transport:
        with pytest.raises(TransportError) as raised:
            await transport.send("tasks", TYPENAME)

    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"
    assert raised.value.subgraph == "tasks"
    assert raised.value.message == "no URL for subgraph 'tasks'"


@pytest.mark.parametrize(
    ("content_type", "body", "complaint"),
    [
        ("text/html", b"<html><body>Bad Gateway</body></html>", "the body is not JSON"),
        ("application/json", b'{"message": "upstream down"}', "not a GraphQL response"),
        ("application/json", b'[{"data": {}}]', "not a GraphQL response"),
        ("application/json", b'{"data": 5}', "not a GraphQL response"),
        ("application/json", b'{"errors": "boom"}', "not a GraphQL response"),
    ],
)
async def test_an_answer_that_is_not_graphql_is_an_http_error(
    content_type: str, body: bytes, complaint: str
) -> None:
    def bad_gateway(_head: bytes, _body: bytes) -> bytes:
        return http_answer("502 Bad Gateway", content_type, body)

    async with (
        TinyHttpServer(bad_gateway) as server,
        HttpTransport({"users": server.url}) as transport,
    ):
        with pytest.raises(TransportError) as raised:
            await transport.send("users", TYPENAME)

    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert raised.value.message.startswith("HTTP 502 Bad Gateway")
    assert complaint in raised.value.message


async def test_an_error_status_with_a_graphql_body_is_an_answer() -> None:
    # GraphQL over HTTP sends request errors with 4xx/5xx and a GraphQL body: the executor
    # reports them as the subgraph's errors, so they are not a transport failure.
    def boom(_head: bytes, _body: bytes) -> bytes:
        return http_answer(
            "500 Internal Server Error",
            "application/graphql-response+json",
            orjson.dumps({"errors": [{"message": "boom"}]}),
        )

    async with TinyHttpServer(boom) as server, HttpTransport({"users": server.url}) as transport:
        response = await transport.send("users", TYPENAME)

    assert response.status == 500
    assert response.data is None
    assert response.errors == [{"message": "boom"}]
    assert response.extensions == {}


async def test_a_cookie_a_subgraph_sets_never_goes_back_with_a_later_call() -> None:
    # One pooled client carries every caller's calls: a cookie set in the answer to one
    # caller would otherwise be sent with the next caller's call.
    seen: list[dict[str, str]] = []

    def sets_a_cookie(head: bytes, _body: bytes) -> bytes:
        seen.append(request_headers(head))
        body = orjson.dumps({"data": {"__typename": "Query"}})
        return http_answer("200 OK\r\nset-cookie: session=alice; Path=/", "application/json", body)

    async with (
        TinyHttpServer(sets_a_cookie) as server,
        HttpTransport({"users": server.url}) as transport,
    ):
        await transport.send("users", TYPENAME)
        await transport.send("users", TYPENAME)

    assert len(seen) == 2
    assert "cookie" not in seen[1]


def test_the_package_exports_exactly_its_public_names() -> None:
    public = {name for name in vars(router.transport) if not name.startswith("_")}
    modules = {
        "backoff",
        "base",
        "breaker",
        "breaker_transport",
        "chain",
        "clients",
        "dedupe",
        "http",
        "in_process",
        "metrics",
        "retry",
        "settings",
    }

    assert set(router.transport.__all__) == public - modules
