"""The limits as clients meet them: the router over the real subgraphs, with the defaults of
``fedtasks router`` in production mode (tests run on SQLite and Postgres)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import get_introspection_query

import router.pipeline
from router.operation.prepare import PreparedOperation
from router.server.safety_config import SafetyConfig
from tests.router.limits.router_app import Router, production_router, router_app

DEEP = (
    "{ users { edges { node { tasks { edges { node { assignee { tasks { edges { node {"
    " assignee { tasks { edges { node { assignee { name } } } } } } } } } } } } } } } }"
)
EXPENSIVE = (
    "{ users(first: 100) { edges { node { tasks(first: 100) { edges { node { assignee {"
    " tasks(first: 100) { edges { node { title } } } } } } } } } } }"
)


@pytest.fixture
async def production(users_url: str, tasks_url: str) -> AsyncIterator[Router]:
    async with production_router(users_url, tasks_url) as router:
        yield router


def only_error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    return dict(error)


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        pytest.param(
            DEEP, "MAX_DEPTH_EXCEEDED", "Operation depth: 16, over the limit of 15.", id="depth"
        ),
        pytest.param(
            "{ user(id: 1) { " + " ".join(f"a{i}: name" for i in range(31)) + " } }",
            "MAX_ALIASES_EXCEEDED",
            "Operation aliases: 31, over the limit of 30.",
            id="aliases",
        ),
        pytest.param(
            "{ " + "__typename " * 21 + "}",
            "MAX_ROOT_FIELDS_EXCEEDED",
            "Operation root fields: 21, over the limit of 20.",
            id="root-fields",
        ),
        pytest.param(
            "{ " + "__typename " * 5000 + "}",
            "MAX_TOKENS_EXCEEDED",
            "Operation tokens: more than the limit of 5000.",
            id="tokens",
        ),
        pytest.param(
            EXPENSIVE,
            "MAX_COST_EXCEEDED",
            "Operation cost: 3040301, over the limit of 100000.",
            id="cost",
        ),
        pytest.param(
            get_introspection_query(),
            "INTROSPECTION_DISABLED",
            "Introspection is disabled on this router: __schema and __type are refused "
            "(FEDTASKS_INTROSPECTION=on enables them).",
            id="introspection",
        ),
    ],
)
async def test_each_limit_is_a_request_error_with_its_code(
    production: Router, query: str, code: str, message: str
) -> None:
    response = await production.post({"query": query})
    # GraphQL over HTTP: not executed, so 400 under application/graphql-response+json.
    assert response.status_code == 400
    assert only_error(response) == {"message": message, "extensions": {"code": code}}
    legacy = await production.post({"query": query}, accept="application/json")
    assert (legacy.status_code, only_error(legacy)["extensions"]["code"]) == (200, code)


async def test_typename_is_always_answered(production: Router) -> None:
    response = await production.post({"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_an_operation_is_measured_once_and_its_verdict_kept(
    production: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared: list[str] = []
    real_prepare = router.pipeline.prepare

    def counting_prepare(*args: Any) -> PreparedOperation:
        prepared.append(args[1])
        return real_prepare(*args)

    monkeypatch.setattr(router.pipeline, "prepare", counting_prepare)
    for _ in range(3):
        refused = await production.post({"query": DEEP})
        assert only_error(refused)["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"
        allowed = await production.post({"query": "{ users(first: 1) { totalCount } }"})
        assert allowed.json() == {"data": {"users": {"totalCount": 0}}}
    assert prepared == [DEEP, "{ users(first: 1) { totalCount } }"]


async def test_a_cost_read_from_variables_is_checked_for_each_request(production: Router) -> None:
    query = """query($n: Int) { users(first: $n) { edges { node {
                 tasks(first: $n) { edges { node { assignee {
                 tasks(first: $n) { edges { node { title } } } } } } } } } } }"""
    small = await production.post({"query": query, "variables": {"n": 5}})
    assert small.json() == {"data": {"users": {"edges": []}}}
    large = await production.post({"query": query, "variables": {"n": 100}})
    assert large.status_code == 400
    assert only_error(large) == {
        "message": "Operation cost: 3040301, over the limit of 100000.",
        "extensions": {"code": "MAX_COST_EXCEEDED"},
    }
    # No variable: the schema's default page size (20): 25,661, three nested lists of 20.
    default = await production.post({"query": query})
    assert default.json() == {"data": {"users": {"edges": []}}}
    # One prepared operation (kept under its text and its normalised document).
    assert len({id(cached) for cached in production.pipeline.cache.values()}) == 1


async def test_introspection_is_on_in_dev_mode_and_passes_the_limits(
    users_url: str, tasks_url: str
) -> None:
    # GraphiQL's introspection query is 15 levels deep: introspection counts for no depth.
    limits = SafetyConfig.from_env({}, dev_mode=True).limits
    async with router_app(users_url, tasks_url, limits=limits) as dev:
        response = await dev.post({"query": get_introspection_query()})
    body = response.json()
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_can_be_turned_on_in_production(users_url: str, tasks_url: str) -> None:
    limits = SafetyConfig.from_env({"FEDTASKS_INTROSPECTION": "on"}, dev_mode=False).limits
    async with router_app(users_url, tasks_url, limits=limits) as router_on:
        response = await router_on.post({"query": '{ __type(name: "User") { name } }'})
    assert response.json() == {"data": {"__type": {"name": "User"}}}
