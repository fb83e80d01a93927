"""The circuit breaker in front of real HTTP subgraphs: opens, refuses fast, probes, closes.

The breaker's clock is injected (the cool-down passes when the test says so); the calls,
failures and answers are real, from tiny servers on 127.0.0.1.
"""

from __future__ import annotations

import orjson
import pytest
from prometheus_client import CollectorRegistry

from router.transport import (
    Breakers,
    BreakerTransport,
    CircuitState,
    HttpTransport,
    ResilienceMetrics,
    SubgraphRequest,
    TransportError,
)
from router.transport.settings import BreakerSettings
from tests.router.transport.servers import (
    BAD_GATEWAY,
    Script,
    TinyHttpServer,
    graphql_ok,
    http_answer,
)

QUERY = SubgraphRequest("{ __typename }")
OK = graphql_ok({"__typename": "Query"})
SETTINGS = BreakerSettings(
    failure_rate=0.5, minimum_calls=4, window_seconds=10.0, cooldown_seconds=5.0
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def circuit_state(registry: CollectorRegistry, subgraph: str) -> float | None:
    return registry.get_sample_value("fedtasks_subgraph_circuit_state", {"subgraph": subgraph})


async def fail_times(transport: BreakerTransport, times: int, code: str) -> None:
    for _ in range(times):
        with pytest.raises(TransportError) as raised:
            await transport.send("users", QUERY)
        assert raised.value.code == code


async def test_a_failing_subgraph_opens_its_circuit_and_is_not_called_while_open() -> None:
    clock, registry = Clock(), CollectorRegistry()
    breakers = Breakers(SETTINGS, clock=clock)
    ResilienceMetrics(registry, breakers)
    script = Script(BAD_GATEWAY, BAD_GATEWAY, BAD_GATEWAY, BAD_GATEWAY, OK)
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        transport = BreakerTransport(http, breakers)
        await fail_times(transport, 4, "SUBREQUEST_HTTP_ERROR")
        assert circuit_state(registry, "users") == CircuitState.OPEN

        clock.now = 2.0
        with pytest.raises(TransportError) as raised:
            await transport.send("users", QUERY)

        assert raised.value.code == "SUBGRAPH_CIRCUIT_OPEN"
        assert raised.value.subgraph == "users"
        assert raised.value.message == (
            "circuit breaker open (4 of 4 calls failed within 10s); next probe in 3.0s"
        )
        assert script.calls == 4  # refused without a request

        clock.now = 5.0
        assert circuit_state(registry, "users") == CircuitState.HALF_OPEN
        response = await transport.send("users", QUERY)

    assert response.data == {"__typename": "Query"}
    assert script.calls == 5
    assert circuit_state(registry, "users") == CircuitState.CLOSED


async def test_a_failed_probe_opens_the_circuit_again() -> None:
    clock = Clock()
    breakers = Breakers(SETTINGS, clock=clock)
    script = Script(BAD_GATEWAY)
    async with TinyHttpServer(script) as server, HttpTransport({"users": server.url}) as http:
        transport = BreakerTransport(http, breakers)
        await fail_times(transport, 4, "SUBREQUEST_HTTP_ERROR")
        clock.now = 5.0

        await fail_times(transport, 1, "SUBREQUEST_HTTP_ERROR")  # the probe
        await fail_times(transport, 3, "SUBGRAPH_CIRCUIT_OPEN")

    assert script.calls == 5
    assert breakers.get("users").state is CircuitState.OPEN


async def test_graphql_errors_are_answers_and_keep_the_circuit_closed() -> None:
    errors = http_answer(
        "200 OK", "application/json", orjson.dumps({"errors": [{"message": "bad id"}]})
    )
    breakers = Breakers(SETTINGS, clock=Clock())
    async with (
        TinyHttpServer(Script(errors)) as server,
        HttpTransport({"users": server.url}) as http,
    ):
        transport = BreakerTransport(http, breakers)
        for _ in range(10):
            response = await transport.send("users", QUERY)
            assert response.errors == [{"message": "bad id"}]

    assert breakers.get("users").state is CircuitState.CLOSED
    assert breakers.get("users").window() == (10, 0)


async def test_each_subgraph_has_its_own_circuit() -> None:
    clock, registry = Clock(), CollectorRegistry()
    breakers = Breakers(SETTINGS, clock=clock)
    ResilienceMetrics(registry, breakers)
    async with (
        TinyHttpServer(Script(BAD_GATEWAY)) as users,
        TinyHttpServer(Script(OK)) as tasks,
        HttpTransport({"users": users.url, "tasks": tasks.url}) as http,
    ):
        transport = BreakerTransport(http, breakers)
        await fail_times(transport, 4, "SUBREQUEST_HTTP_ERROR")
        response = await transport.send("tasks", QUERY)

    assert response.data == {"__typename": "Query"}
    assert circuit_state(registry, "users") == CircuitState.OPEN
    assert circuit_state(registry, "tasks") == CircuitState.CLOSED


async def test_a_timeout_counts_as_a_failure() -> None:
    breakers = Breakers(SETTINGS, clock=Clock())
    async with (
        TinyHttpServer(None) as server,
        HttpTransport({"users": server.url}, timeout=0.1) as http,
    ):
        transport = BreakerTransport(http, breakers)
        await fail_times(transport, 4, "SUBGRAPH_TIMEOUT")
        await fail_times(transport, 1, "SUBGRAPH_CIRCUIT_OPEN")
