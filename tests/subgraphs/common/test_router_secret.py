"""Subgraphs trust only the router: production mode requires its secret on /graphql."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.apps import build_app, serve_in_process
from tests.support.auth import ROUTER_SECRET_HEADER, SUBGRAPH_SECRET

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name email } } }
"""
ROUTER = {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET}


@pytest.fixture(params=["users", "tasks"])
async def production(
    request: pytest.FixtureRequest, users_url: str, tasks_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    service = str(request.param)
    url = users_url if service == "users" else tasks_url
    async with serve_in_process(service, url, dev=False, subgraph_secret=SUBGRAPH_SECRET) as (
        _,
        http,
    ):
        yield http


def refused(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "router" in body["errors"][0]["message"]
    assert SUBGRAPH_SECRET not in response.text


@pytest.mark.parametrize(
    "headers",
    [{}, {ROUTER_SECRET_HEADER: "a guess"}, {ROUTER_SECRET_HEADER: SUBGRAPH_SECRET[:-1]}],
    ids=["no secret", "wrong secret", "prefix of the secret"],
)
async def test_graphql_without_the_router_secret_is_refused(
    production: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    refused(await production.post("/graphql", json={"query": "{ __typename }"}, headers=headers))


async def test_entities_are_unreachable_from_outside(production: httpx.AsyncClient) -> None:
    body = {"query": ENTITIES, "variables": {"r": [{"__typename": "User", "id": "u1"}]}}
    refused(await production.post("/graphql", json=body))


async def test_graphiql_is_refused_too(production: httpx.AsyncClient) -> None:
    refused(await production.get("/graphql", headers={"accept": "text/html"}))


async def test_the_router_secret_opens_graphql(production: httpx.AsyncClient) -> None:
    response = await production.post(
        "/graphql", json={"query": "{ _service { sdl } }"}, headers=ROUTER
    )
    assert response.status_code == 200
    assert "@key" in response.json()["data"]["_service"]["sdl"]


@pytest.mark.parametrize("path", ["/health", "/ready", "/metrics"])
async def test_health_ready_and_metrics_stay_open(production: httpx.AsyncClient, path: str) -> None:
    assert (await production.get(path)).status_code == 200


async def test_refusals_are_counted_in_the_metrics(production: httpx.AsyncClient) -> None:
    await production.post("/graphql", json={"query": "{ __typename }"})
    metrics = (await production.get("/metrics")).text
    assert 'path="/graphql"' in metrics
    assert 'status="401"' in metrics


async def test_a_dev_mode_subgraph_with_a_secret_still_requires_it(
    users_url: str,
) -> None:
    async with serve_in_process("users", users_url, dev=True, subgraph_secret="s3cret") as (
        _,
        http,
    ):
        refused(await http.post("/graphql", json={"query": "{ __typename }"}))


@pytest.mark.parametrize("service", ["users", "tasks"])
def test_production_mode_without_a_secret_does_not_build(service: str, tmp_path: str) -> None:
    with pytest.raises(ValueError, match="FEDTASKS_SUBGRAPH_SECRET") as caught:
        build_app(service, f"sqlite+aiosqlite:///{tmp_path}/{service}.db", dev=False)
    assert "--dev" in str(caught.value)
