"""Subgraph introspection is off in production mode; `_service` stays for the router."""

from __future__ import annotations

import httpx
import pytest

from tests.support.apps import serve_in_process
from tests.support.auth import ROUTER_SECRET_HEADER, SUBGRAPH_SECRET

ROUTER = {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}
SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Query") { name } }'
NESTED = "{ _service { sdl } ... on Query { __schema { types { name } } } }"


async def post(http: httpx.AsyncClient, query: str) -> dict[str, object]:
    response = await http.post("/graphql", json={"query": query}, headers=ROUTER)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("service", ["users", "tasks"])
@pytest.mark.parametrize("query", [SCHEMA, TYPE, NESTED])
async def test_production_refuses_introspection(
    service: str, query: str, users_url: str, tasks_url: str
) -> None:
    url = users_url if service == "users" else tasks_url
    async with serve_in_process(service, url, dev=False, subgraph_secret=SUBGRAPH_SECRET) as (
        _,
        http,
    ):
        body = await post(http, query)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert {e["extensions"]["code"] for e in errors} == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection" in errors[0]["message"]


async def test_production_still_answers_service_sdl_and_typename(users_url: str) -> None:
    async with serve_in_process("users", users_url, dev=False, subgraph_secret=SUBGRAPH_SECRET) as (
        _,
        http,
    ):
        body = await post(http, "{ __typename _service { sdl } }")
    assert "errors" not in body, body
    data = body["data"]
    assert isinstance(data, dict)
    assert data["__typename"] == "Query"
    assert "@key" in data["_service"]["sdl"]


async def test_dev_mode_answers_introspection(users_url: str) -> None:
    async with serve_in_process("users", users_url, dev=True) as (_, http):
        body = await post(http, SCHEMA)
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_a_document_validated_in_dev_mode_is_still_refused_in_production(
    users_url: str,
) -> None:
    # Validation results are cached per document and shared by every app of the process;
    # the rules are part of the key, so a dev app's verdict never serves a production one.
    async with serve_in_process("users", users_url, dev=True) as (_, http):
        for _ in range(2):
            assert "errors" not in await post(http, SCHEMA)
    async with serve_in_process("users", users_url, dev=False, subgraph_secret=SUBGRAPH_SECRET) as (
        _,
        http,
    ):
        for _ in range(2):
            body = await post(http, SCHEMA)
            errors = body["errors"]
            assert isinstance(errors, list)
            assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    async with serve_in_process("users", users_url, dev=True) as (_, http):
        assert "errors" not in await post(http, SCHEMA)


async def test_an_invalid_document_keeps_its_code_when_sent_again(users_url: str) -> None:
    async with serve_in_process("users", users_url, dev=True) as (_, http):
        for _ in range(3):
            body = await post(http, "{ nope }")
            errors = body["errors"]
            assert isinstance(errors, list)
            assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            assert "nope" in errors[0]["message"]
