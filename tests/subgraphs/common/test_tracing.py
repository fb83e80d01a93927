"""A subgraph continues the router's trace when an OTLP endpoint is configured: a SERVER
span per traced GraphQL request, child of the caller's span, sent to a real receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from subgraphs.common.tracing import tracing_from_env
from tests.router.observability.otlp_receiver import SERVER_KIND, OtlpReceiver, otlp_receiver
from tests.support.apps import serve_in_process

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[OtlpReceiver]:
    """A receiver, named to the apps built during the test by the environment."""
    with otlp_receiver() as receiver:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
        monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
        monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
        yield receiver


async def test_a_traced_call_gets_a_span_under_the_callers(
    users_url: str, receiver: OtlpReceiver
) -> None:
    query = {"query": "{ users(first: 1) { totalCount } }"}
    async with serve_in_process("users", users_url) as (app, http):
        traced = await http.post(
            "/graphql", json=query, headers={"traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"}
        )
        untraced = await http.post("/graphql", json=query)
        assert await asyncio.to_thread(app.state.tracing.provider.force_flush)

    assert traced.status_code == untraced.status_code == 200
    [span] = receiver.spans
    assert (span.service, span.name, span.kind) == ("fedtasks-users", "POST /graphql", SERVER_KIND)
    assert (span.trace_id, span.parent_span_id) == (TRACE_ID, CALLER_SPAN)
    assert span.attributes["http.response.status_code"] == 200


def test_without_an_endpoint_a_subgraph_does_not_trace() -> None:
    assert tracing_from_env("users", {}) is None
    assert tracing_from_env("users", {"OTEL_SERVICE_NAME": "users"}) is None
