"""OpenTelemetry tracing: the spans of a federated query reach a real OTLP/HTTP receiver
with the client's trace id and the right parent/child structure, and each subgraph call
carries its fetch span's context; without an endpoint nothing is made or exported."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from router.observability import Observability, Tracing, tracing_from_env
from router.observability.tracing import traces_endpoint
from tests.router.observability.otlp_receiver import (
    CLIENT_KIND,
    SERVER_KIND,
    OtlpReceiver,
    otlp_receiver,
)
from tests.router.observability.stack import TASKS_WITH_ASSIGNEES, observed_router

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CLIENT_SPAN}-01"


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture
async def tracing(receiver: OtlpReceiver) -> AsyncIterator[Tracing]:
    """Tracing as ``fedtasks router`` sets it up from its environment, to the receiver."""
    made = tracing_from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": f"{receiver.url}/"})
    assert made is not None
    yield made
    await made.aclose()


async def _flush(tracing: Tracing) -> None:
    """Export every finished span to the receiver now (it has them when this returns)."""
    assert await asyncio.to_thread(tracing.force_flush)


async def test_a_federated_query_is_traced_under_the_clients_trace(
    subgraph_apps: dict[str, FastAPI], tracing: Tracing, receiver: OtlpReceiver
) -> None:
    async with observed_router(dict(subgraph_apps), tracing=tracing) as router:
        response = await router.post(TASKS_WITH_ASSIGNEES, traceparent=TRACEPARENT)
        await _flush(tracing)

    assert response.status_code == 200
    assert receiver.paths == ["/v1/traces"]
    assert {span.trace_id for span in receiver.spans} == {TRACE_ID}
    assert {span.service for span in receiver.spans} == {"fedtasks-router"}
    request = receiver.one("POST /graphql")
    assert request.kind == SERVER_KIND
    assert request.parent_span_id == CLIENT_SPAN
    assert request.attributes["graphql.operation.name"] == "TasksWithAssignees"
    assert request.attributes["graphql.operation.type"] == "query"
    assert request.attributes["http.response.status_code"] == 200
    assert request.attributes["fedtasks.request_id"] == response.headers["x-request-id"]
    names = sorted(span.name for span in receiver.children(request))
    assert names == [
        "fetch tasks",
        "fetch users",
        "graphql.parse",
        "graphql.plan",
        "graphql.validate",
    ]
    for name in ("tasks", "users"):
        fetch = receiver.one(f"fetch {name}")
        assert fetch.kind == CLIENT_KIND
        assert fetch.attributes["fedtasks.subgraph"] == name
        assert fetch.attributes["graphql.operation.type"] == "query"
        assert not fetch.failed
        # The subgraph was called under the fetch span: its spans would be children of it.
        [seen] = router.recorders[name].seen
        assert seen["traceparent"] == f"00-{TRACE_ID}-{fetch.span_id}-01"


async def test_a_new_trace_is_started_without_a_client_traceparent(
    subgraph_apps: dict[str, FastAPI], tracing: Tracing, receiver: OtlpReceiver
) -> None:
    async with observed_router(dict(subgraph_apps), tracing=tracing) as router:
        await router.post(TASKS_WITH_ASSIGNEES, traceparent="00-garbage")
        await _flush(tracing)

    request = receiver.one("POST /graphql")
    assert request.parent_span_id == ""
    assert request.trace_id != TRACE_ID
    assert {span.trace_id for span in receiver.spans} == {request.trace_id}


async def test_a_cached_plan_skips_the_parse_validate_and_plan_spans(
    subgraph_apps: dict[str, FastAPI], tracing: Tracing, receiver: OtlpReceiver
) -> None:
    async with observed_router(dict(subgraph_apps), tracing=tracing) as router:
        await router.post(TASKS_WITH_ASSIGNEES)
        await router.post(TASKS_WITH_ASSIGNEES)
        await _flush(tracing)

    assert len(receiver.named("POST /graphql")) == 2
    assert len(receiver.named("graphql.plan")) == 1
    assert len(receiver.named("fetch tasks")) == 2


async def test_failed_fetches_and_refused_operations_are_recorded(
    subgraph_apps: dict[str, FastAPI], tracing: Tracing, receiver: OtlpReceiver
) -> None:
    async with observed_router(
        {"tasks": subgraph_apps["tasks"]}, tracing=tracing, down=("users",)
    ) as router:
        await router.post(TASKS_WITH_ASSIGNEES)
        await router.post("query Bad { nope }")
        await _flush(tracing)

    users = receiver.one("fetch users")
    assert users.failed
    assert users.attributes["fedtasks.error_code"] == "SUBGRAPH_UNAVAILABLE"
    assert not receiver.one("fetch tasks").failed
    assert [span.failed for span in receiver.named("graphql.validate")] == [False, True]


async def test_a_subgraph_error_is_an_event_on_its_fetch_span(
    subgraph_apps: dict[str, FastAPI], tracing: Tracing, receiver: OtlpReceiver
) -> None:
    async with observed_router(dict(subgraph_apps), tracing=tracing) as router:
        response = await router.post(
            'mutation { updateTask(id: "nope", input: {title: "x"}) { id } }'
        )
        await _flush(tracing)

    code = response.json()["errors"][0]["extensions"]["code"]
    fetch = receiver.one("fetch tasks")
    assert fetch.failed
    assert fetch.attributes["graphql.operation.type"] == "mutation"
    [(name, attributes)] = fetch.events
    assert name == "graphql.error"
    assert attributes["code"] == code


def test_spans_go_to_the_traces_url_or_under_the_base_one() -> None:
    base = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"}
    assert traces_endpoint(base) == "http://collector:4318/v1/traces"
    both = {**base, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://other:4318/spans"}
    assert traces_endpoint(both) == "http://other:4318/spans"


def test_without_an_endpoint_there_is_no_tracing() -> None:
    assert tracing_from_env({}) is None
    assert tracing_from_env({"OTEL_SERVICE_NAME": "x"}) is None
    assert Observability.from_env(CollectorRegistry(), {}).tracing is None


async def test_without_tracing_the_clients_trace_context_goes_on_unchanged(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    state = "vendor=opaque-value"
    async with observed_router(dict(subgraph_apps)) as router:
        await router.post(TASKS_WITH_ASSIGNEES, traceparent=TRACEPARENT, tracestate=state)
        await router.post(TASKS_WITH_ASSIGNEES, traceparent="00-not-a-trace", tracestate=state)

    for name in ("tasks", "users"):
        traced, malformed = router.recorders[name].seen
        # No span of the router's: the subgraph continues the client's own span.
        assert traced["traceparent"] == TRACEPARENT
        assert traced["tracestate"] == state
        assert "traceparent" not in malformed
        assert "tracestate" not in malformed
