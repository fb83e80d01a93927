"""Per-subgraph timeouts: one slow subgraph times out on its own deadline, not the others'."""

from __future__ import annotations

import asyncio

import pytest

from router.transport import HttpTransport, SubgraphRequest, TransportError, TransportSettings
from tests.router.transport.servers import HoldingHttpServer, Script, TinyHttpServer, graphql_ok

QUERY = SubgraphRequest("{ __typename }")
OK = graphql_ok({"__typename": "Query"})


async def test_each_subgraph_keeps_its_own_timeout() -> None:
    settings = TransportSettings.from_env(
        {"FEDTASKS_SUBGRAPH_TIMEOUT": "30", "FEDTASKS_SUBGRAPH_TIMEOUT_USERS": "0.1"}
    )
    async with (
        TinyHttpServer(None) as users,
        HoldingHttpServer(Script(OK)) as tasks,
        HttpTransport(
            {"users": users.url, "tasks": tasks.url},
            timeout=settings.timeout,
            timeouts={name: settings.timeout_for(name) for name in ("users", "tasks")},
        ) as transport,
    ):
        tasks_call = asyncio.create_task(transport.send("tasks", QUERY))
        await tasks.wait_for(1)
        with pytest.raises(TransportError) as raised:
            await transport.send("users", QUERY)
        # users timed out while tasks, held as long, is still waiting within its own.
        assert not tasks_call.done()
        tasks.release()
        response = await tasks_call

    assert raised.value.code == "SUBGRAPH_TIMEOUT"
    assert response.data == {"__typename": "Query"}


def test_names_are_matched_upper_cased() -> None:
    settings = TransportSettings.from_env({"FEDTASKS_SUBGRAPH_TIMEOUT_REPORTING_V2": "60"})

    assert settings.timeout_for("reporting_v2") == 60.0
    assert settings.timeout_for("users") == 10.0
