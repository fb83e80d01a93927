"""The chain ``fedtasks router`` builds per subgraph URL, and the dedupe above it.

Real HTTP to tiny servers: a retried call counts once in the breaker (it sits above the
retries), identical queries sharing one call count once (the dedupe sits above it), and
an open circuit costs no retry.
"""

from __future__ import annotations

import asyncio

import pytest

from router.transport import (
    Breakers,
    BreakerTransport,
    DedupingTransport,
    HttpTransport,
    RetryingTransport,
    SubgraphRequest,
    TransportError,
    TransportSettings,
    resilient_transport,
)
from tests.router.transport.servers import (
    BAD_GATEWAY,
    HoldingHttpServer,
    Script,
    TinyHttpServer,
    graphql_ok,
)

QUERY = SubgraphRequest("{ __typename }")
OK = graphql_ok({"__typename": "Query"})


def settings(**env: str) -> TransportSettings:
    return TransportSettings.from_env({"FEDTASKS_RETRY_BACKOFF_SECONDS": "0.001", **env})


def test_the_chain_is_breaker_then_retries_then_http() -> None:
    chain = resilient_transport(
        "users",
        "http://127.0.0.1:1/graphql",
        settings=settings(),
        breakers=Breakers(settings().breaker),
    )

    assert isinstance(chain, BreakerTransport)
    assert isinstance(chain.inner, RetryingTransport)
    assert isinstance(chain.inner.inner, HttpTransport)


@pytest.mark.parametrize(
    ("env", "layers"),
    [
        ({"FEDTASKS_RETRIES": "0"}, [BreakerTransport, HttpTransport]),
        ({"FEDTASKS_BREAKER": "off"}, [RetryingTransport, HttpTransport]),
        ({"FEDTASKS_RETRIES": "0", "FEDTASKS_BREAKER": "off"}, [HttpTransport]),
    ],
)
def test_layers_that_are_turned_off_are_left_out(env: dict[str, str], layers: list[type]) -> None:
    chosen = settings(**env)
    transport: object = resilient_transport(
        "users", "http://127.0.0.1:1/graphql", settings=chosen, breakers=Breakers(chosen.breaker)
    )
    found = []
    while transport is not None:
        found.append(type(transport))
        transport = getattr(transport, "inner", None)

    assert found == layers


async def test_a_call_retried_until_it_answers_is_one_success_for_the_breaker() -> None:
    chosen = settings()
    breakers = Breakers(chosen.breaker)
    script = Script(BAD_GATEWAY, BAD_GATEWAY, OK)
    async with TinyHttpServer(script) as server:
        chain = resilient_transport("users", server.url, settings=chosen, breakers=breakers)
        response = await chain.send("users", QUERY)
        await chain.aclose()

    assert response.data == {"__typename": "Query"}
    assert script.calls == 3
    assert breakers.get("users").window() == (1, 0)


async def test_identical_queries_sharing_one_call_count_once() -> None:
    chosen = settings()
    breakers = Breakers(chosen.breaker)
    async with HoldingHttpServer(Script(OK)) as server:
        chain = DedupingTransport(
            resilient_transport("users", server.url, settings=chosen, breakers=breakers)
        )
        calls = [asyncio.create_task(chain.send("users", QUERY)) for _ in range(3)]
        await server.wait_for(1)
        server.release()
        answers = await asyncio.gather(*calls)
        await chain.aclose()

    assert [a.data for a in answers] == [{"__typename": "Query"}] * 3
    assert server.arrived == 1
    assert breakers.get("users").window() == (1, 0)


async def test_an_open_circuit_costs_no_retry() -> None:
    chosen = settings(FEDTASKS_BREAKER_MIN_CALLS="2", FEDTASKS_BREAKER_COOLDOWN_SECONDS="600")
    breakers = Breakers(chosen.breaker)
    script = Script(BAD_GATEWAY)
    async with TinyHttpServer(script) as server:
        chain = resilient_transport("users", server.url, settings=chosen, breakers=breakers)
        for _ in range(2):
            with pytest.raises(TransportError):
                await chain.send("users", QUERY)
        assert script.calls == 6  # two calls, each sent three times
        with pytest.raises(TransportError) as raised:
            await chain.send("users", QUERY)
        await chain.aclose()

    assert raised.value.code == "SUBGRAPH_CIRCUIT_OPEN"
    assert script.calls == 6
