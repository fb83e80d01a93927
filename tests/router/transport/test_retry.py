"""Retries over real HTTP: failed queries are sent again, mutations and answers never are."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from router.transport import HttpTransport, RetryingTransport, SubgraphRequest, TransportError
from router.transport.retry import is_retryable
from router.transport.settings import RetrySettings
from tests.router.transport.servers import (
    BAD_GATEWAY,
    HoldingHttpServer,
    Script,
    TinyHttpServer,
    graphql_ok,
    http_answer,
)
from tests.support.processes import free_port

QUERY = SubgraphRequest("{ __typename }")
MUTATION = SubgraphRequest("mutation { deleteTask(id: 1) }", mutation=True)
SETTINGS = RetrySettings(retries=2, base_seconds=0.05, max_seconds=1.0)
OK = graphql_ok({"__typename": "Query"})


class Waits:
    """Records the back-off waits instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.retried: list[str] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def on_retry(self, subgraph: str) -> None:
        self.retried.append(subgraph)


def retrying(
    inner: HttpTransport, waits: Waits, settings: RetrySettings = SETTINGS
) -> RetryingTransport:
    return RetryingTransport(
        inner, settings, sleep=waits.sleep, rand=lambda: 0.5, on_retry=waits.on_retry
    )


async def test_a_query_that_got_a_bad_gateway_is_sent_again_after_backing_off() -> None:
    script, waits = Script(BAD_GATEWAY, BAD_GATEWAY, OK), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        response = await retrying(http, waits).send("users", QUERY)

    assert response.data == {"__typename": "Query"}
    assert script.calls == 3
    # Full jitter with rand() = 0.5: half of 0.05, then half of 0.1.
    assert waits.waits == pytest.approx([0.025, 0.05])
    assert waits.retried == ["users", "users"]


async def test_retries_stop_at_the_configured_number() -> None:
    script, waits = Script(BAD_GATEWAY), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        with pytest.raises(TransportError) as raised:
            await retrying(http, waits).send("users", QUERY)

    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert raised.value.status == 502
    assert script.calls == 3


async def test_a_mutation_is_never_sent_twice() -> None:
    script, waits = Script(BAD_GATEWAY, OK), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"tasks": server.url}) as http:
        with pytest.raises(TransportError) as raised:
            await retrying(http, waits).send("tasks", MUTATION)

    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert script.calls == 1
    assert waits.waits == []


async def test_a_graphql_answer_with_errors_is_the_answer_not_a_failure() -> None:
    errors = http_answer(
        "500 Internal Server Error",
        "application/graphql-response+json",
        orjson.dumps({"errors": [{"message": "boom"}]}),
    )
    script, waits = Script(errors, OK), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        response = await retrying(http, waits).send("users", QUERY)

    assert response.errors == [{"message": "boom"}]
    assert script.calls == 1


async def test_a_non_graphql_4xx_is_not_retried() -> None:
    not_found = http_answer("404 Not Found", "text/plain", b"no such path")
    script, waits = Script(not_found, OK), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        with pytest.raises(TransportError) as raised:
            await retrying(http, waits).send("users", QUERY)

    assert raised.value.status == 404
    assert script.calls == 1


async def test_an_unreachable_subgraph_is_retried_then_reported() -> None:
    waits = Waits()
    url = f"http://127.0.0.1:{free_port()}/graphql"
    async with HttpTransport({"users": url}) as http:
        with pytest.raises(TransportError) as raised:
            await retrying(http, waits).send("users", QUERY)

    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"
    assert waits.retried == ["users", "users"]


async def test_a_timed_out_query_is_sent_again() -> None:
    # The first request is held past the timeout; the second one is answered.
    script, waits = Script(None, OK), Waits()
    async with (
        TinyHttpServer(script) as server,
        HttpTransport({"users": server.url}, timeout=0.2) as http,
    ):
        response = await retrying(http, waits).send("users", QUERY)

    assert response.data == {"__typename": "Query"}
    assert script.calls == 2
    assert waits.retried == ["users"]


async def test_zero_retries_sends_once() -> None:
    script, waits = Script(BAD_GATEWAY, OK), Waits()
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        with pytest.raises(TransportError):
            await retrying(http, waits, RetrySettings(retries=0)).send("users", QUERY)

    assert script.calls == 1


async def test_a_retried_request_is_the_same_request() -> None:
    script, waits = Script(BAD_GATEWAY, OK), Waits()
    request = SubgraphRequest("query Q($id: ID!) { user(id: $id) { id } }", {"id": "1"}, "Q")
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        await retrying(http, waits).send("users", request)

    first, second = script.bodies
    assert (
        first
        == second
        == {
            "query": "query Q($id: ID!) { user(id: $id) { id } }",
            "variables": {"id": "1"},
            "operationName": "Q",
        }
    )


@pytest.mark.parametrize(
    ("code", "status", "retryable"),
    [
        ("SUBGRAPH_UNAVAILABLE", None, True),
        ("SUBGRAPH_TIMEOUT", None, True),
        ("SUBREQUEST_HTTP_ERROR", 502, True),
        ("SUBREQUEST_HTTP_ERROR", 503, True),
        ("SUBREQUEST_HTTP_ERROR", 200, False),
        ("SUBREQUEST_HTTP_ERROR", 400, False),
        ("SUBREQUEST_HTTP_ERROR", None, False),
        ("SUBGRAPH_CIRCUIT_OPEN", None, False),
    ],
)
def test_which_failures_are_retryable(code: str, status: int | None, retryable: bool) -> None:
    assert is_retryable(TransportError("users", "x", code=code, status=status)) is retryable


async def test_a_held_query_is_not_retried_while_it_waits() -> None:
    # Retries follow failures only: a slow answer within the timeout is waited for.
    script, waits = Script(OK), Waits()
    async with HoldingHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        transport = retrying(http, waits)
        call = asyncio.create_task(transport.send("users", QUERY))
        await server.wait_for(1)
        server.release()
        response = await call

    assert response.data == {"__typename": "Query"}
    assert script.calls == 1
    assert waits.retried == []
