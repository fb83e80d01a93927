"""A subgraph's log lines: the router's request id (or a new one) on every line, returned in
x-request-id; the caller's trace id; one access line per request; JSON or text."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest
from fastapi import FastAPI

from subgraphs.common.logging import log_format, log_handler, request_log_for
from tests.support.apps import serve_in_process
from tests.support.graphql import GraphQLClient

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Every line logged during the test, as ``fedtasks subgraph`` writes them."""
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


def test_the_callers_id_is_kept_when_sane_and_its_trace_id_read() -> None:
    kept = request_log_for({"x-request-id": "router-1", "traceparent": TRACEPARENT})
    assert (kept.request_id, kept.trace_id) == ("router-1", TRACE_ID)
    odd = request_log_for({"x-request-id": "two words", "traceparent": "00-xyz-01"})
    assert len(odd.request_id) == 32
    assert odd.trace_id is None
    assert request_log_for({}).request_id != request_log_for({}).request_id


async def test_every_line_of_a_request_names_it(
    users_app: tuple[FastAPI, GraphQLClient], json_lines: io.StringIO
) -> None:
    _, client = users_app
    response = await client.http.post(
        "/graphql",
        json={"query": "{ users(first: 1) { totalCount } }"},
        headers={"x-request-id": "router-7", "traceparent": TRACEPARENT},
    )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "router-7"
    [access] = [line for line in _lines(json_lines) if line["logger"] == "fedtasks.subgraph.access"]
    assert access["request_id"] == "router-7"
    assert access["trace_id"] == TRACE_ID
    assert access["service"] == "users"
    assert access["method"] == "POST"
    assert access["path"] == "/graphql"
    assert access["status"] == 200
    assert isinstance(access["duration_seconds"], float)
    assert access["message"] == "POST /graphql 200"


async def test_an_error_names_the_routers_request_id_to_the_client_and_in_the_log(
    users_url: str, json_lines: io.StringIO
) -> None:
    # Tables never made: the database refuses every statement.
    async with serve_in_process("users", users_url, migrate=False) as (_, http):
        response = await http.post(
            "/graphql",
            json={"query": "{ users(first: 1) { totalCount } }"},
            headers={"x-request-id": "router-8"},
        )

    [error] = response.json()["errors"]
    assert error["extensions"]["requestId"] == "router-8"
    assert "Traceback" not in response.text
    lines = [line for line in _lines(json_lines) if line["logger"] == "fedtasks.subgraphs"]
    assert lines
    for line in lines:
        assert line["request_id"] == "router-8"
        assert "(request router-8)" in str(line["message"])
        if line["level"] == "error":
            assert "Traceback (most recent call last)" in str(line["exception"])


async def test_an_id_is_made_when_the_caller_sent_none_or_an_odd_one(
    users_app: tuple[FastAPI, GraphQLClient],
) -> None:
    _, client = users_app
    plain = await client.http.get("/health")
    odd = await client.http.get("/health", headers={"x-request-id": "a\tb"})
    made = [plain.headers["x-request-id"], odd.headers["x-request-id"]]
    assert all(len(value) == 32 for value in made)
    assert made[0] != made[1]


def test_log_format_is_json_in_production_and_text_in_dev_unless_set() -> None:
    assert log_format({}, dev_mode=False) == "json"
    assert log_format({}, dev_mode=True) == "text"
    assert log_format({"LOG_FORMAT": "json"}, dev_mode=True) == "json"
    with pytest.raises(ValueError, match="LOG_FORMAT must be json or text, got 'yaml'"):
        log_format({"LOG_FORMAT": "yaml"}, dev_mode=False)
