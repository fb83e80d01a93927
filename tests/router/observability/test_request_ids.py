"""Request ids: the client's when sane, else a new one; returned, sent to every subgraph call,
and named in the router's internal error."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from router.observability.logging import log_handler
from router.observability.request_id import request_id_for, sane_request_id
from tests.router.observability.stack import TASKS_WITH_ASSIGNEES, observed_router


@pytest.mark.parametrize(
    "value", ["abc", "0af7651916cd43dd8448eb211c80319c", "req-1.2:3/4+5=6@7_8", "x" * 128]
)
def test_a_sane_client_id_is_kept(value: str) -> None:
    assert sane_request_id(value) == value
    assert request_id_for(value) == value


@pytest.mark.parametrize(
    "value", ["", "x" * 129, "has space", "line\nbreak", 'quote"d', "<script>", "é", "a\tb"]
)
def test_an_odd_client_id_is_replaced(value: str) -> None:
    assert sane_request_id(value) is None
    made = request_id_for(value)
    assert len(made) == 32
    assert int(made, 16) >= 0


def test_ids_made_for_two_requests_differ() -> None:
    assert request_id_for(None) != request_id_for(None)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The router's JSON log lines of the test, as ``fedtasks router`` writes them."""
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


async def test_the_client_id_is_returned_and_sent_to_every_subgraph_call(
    subgraph_apps: dict[str, FastAPI], json_lines: io.StringIO
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        response = await router.post(TASKS_WITH_ASSIGNEES, **{"x-request-id": "client-42"})

    assert response.status_code == 200
    assert response.json()["data"]["tasks"]["edges"][0]["node"]["assignee"] == {"name": "Ada"}
    assert response.headers["x-request-id"] == "client-42"
    for name in ("tasks", "users"):
        [seen] = router.recorders[name].seen
        assert seen["x-request-id"] == "client-42"
    [access] = [line for line in _lines(json_lines) if line["logger"] == "fedtasks.router.access"]
    assert access["request_id"] == "client-42"
    assert access["method"] == "POST"
    assert access["path"] == "/graphql"
    assert access["status"] == 200
    assert access["operation"] == "TasksWithAssignees"
    assert access["outcome"] == "success"
    assert isinstance(access["duration_seconds"], float)
    assert access["level"] == "info"
    assert isinstance(access["time"], str)


async def test_a_generated_id_goes_to_the_client_and_to_every_subgraph_call(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        odd = await router.http.post(
            "/graphql",
            json={"query": TASKS_WITH_ASSIGNEES},
            headers=[(b"x-request-id", "not sane \u00e9".encode("latin-1"))],
        )
        absent = await router.post(TASKS_WITH_ASSIGNEES)

    made = [odd.headers["x-request-id"], absent.headers["x-request-id"]]
    assert all(len(value) == 32 for value in made)
    assert made[0] != made[1]
    for name in ("tasks", "users"):
        assert [seen["x-request-id"] for seen in router.recorders[name].seen] == made


async def test_every_answer_carries_the_id_even_a_refusal(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        malformed = await router.http.post(
            "/graphql", content=b"{", headers={"content-type": "application/json"}
        )
        health = await router.http.get("/health", headers={"x-request-id": "probe-1"})

    assert malformed.status_code == 400
    assert len(malformed.headers["x-request-id"]) == 32
    assert health.headers["x-request-id"] == "probe-1"


class Crash:
    """A subgraph that fails inside the router's process: the router's own bug, in effect."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raise RuntimeError("subgraph app crashed")


async def test_the_internal_error_names_the_request_id_the_client_got(
    subgraph_apps: dict[str, FastAPI], json_lines: io.StringIO
) -> None:
    apps = {"users": subgraph_apps["users"], "tasks": Crash()}
    async with observed_router(apps) as router:
        response = await router.post(TASKS_WITH_ASSIGNEES, **{"x-request-id": "crash-7"})

    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error (request crash-7)."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"] == "crash-7"
    [logged] = [line for line in _lines(json_lines) if line["level"] == "error"]
    assert logged["message"] == "internal error (request crash-7)"
    assert logged["request_id"] == "crash-7"
    assert logged["logger"] == "fedtasks.router"
    assert isinstance(logged["exception"], str)
    assert "RuntimeError: subgraph app crashed" in logged["exception"]
    assert (
        router.sample(
            "fedtasks_router_requests_total",
            operation="TasksWithAssignees",
            outcome="internal_error",
        )
        == 1
    )
