"""``fedtasks router`` applies the safe defaults: the app ``build_router`` makes, in process.

Every request here is answered before planning, so no subgraph needs to run: the
subgraph URLs point at a port nothing listens on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from router.router_command import build_router
from tests.router.auth.tokens import SECRET, hs256
from tests.support.auth import JWT_SECRET, SUBGRAPH_SECRET
from tests.support.processes import free_port

SUPERGRAPH = str(Path(__file__).parents[3] / "schema" / "supergraph.graphql")
INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}
STRICT = {"accept": "application/graphql-response+json"}
"""What a GraphQL over HTTP client asks for: request errors then answer 400."""

Router = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def router(monkeypatch: pytest.MonkeyPatch) -> Router:
    nowhere = f"http://127.0.0.1:{free_port()}/graphql"
    for name in ("REDIS_URL", "FEDTASKS_DEV", "FEDTASKS_INTROSPECTION", "FEDTASKS_CSRF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FEDTASKS_SUBGRAPH_URL_USERS", nowhere)
    monkeypatch.setenv("FEDTASKS_SUBGRAPH_URL_TASKS", nowhere)
    monkeypatch.setenv("FEDTASKS_SUPERGRAPH_POLL_SECONDS", "0")
    monkeypatch.setenv("FEDTASKS_JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("FEDTASKS_SUBGRAPH_SECRET", SUBGRAPH_SECRET)

    @asynccontextmanager
    async def run(*, dev_mode: bool = False, **env: str) -> AsyncIterator[httpx.AsyncClient]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        app = build_router(SUPERGRAPH, dev_mode=dev_mode)
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app, client=("192.0.2.1", 1000))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://router", headers=STRICT
            ) as http:
                yield http

    return run


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_production_mode_refuses_introspection_and_csrf(router: Router) -> None:
    async with router() as http:
        refused = await http.post("/graphql", json=INTROSPECTION)
        assert (refused.status_code, code_of(refused)) == (400, "INTROSPECTION_DISABLED")
        typename = await http.post("/graphql", json={"query": "{ __typename }"})
        assert typename.json() == {"data": {"__typename": "Query"}}
        csrf = await http.get("/graphql", params={"query": "{ __typename }"})
        assert (csrf.status_code, code_of(csrf)) == (400, "CSRF_PREVENTED")
        deep = "{ users { edges { node {" + " tasks { edges { node { assignee {" * 3 + " name"
        deep += " }" * deep.count("{")  # depth 16
        too_deep = await http.post("/graphql", json={"query": deep})
        assert code_of(too_deep) == "MAX_DEPTH_EXCEEDED"
        batch = await http.post("/graphql", json=[{"query": "{ __typename }"}] * 11)
        assert code_of(batch) == "BATCH_LIMIT_EXCEEDED"
        big = await http.post(
            "/graphql",
            content=b'{"query": "{ __typename }", "x": "' + b"x" * 1_048_576 + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert (big.status_code, code_of(big)) == (413, "REQUEST_TOO_LARGE")
        assert "access-control-allow-origin" not in typename.headers


async def test_dev_mode_answers_introspection(router: Router) -> None:
    async with router(dev_mode=True) as http:
        response = await http.post("/graphql", json=INTROSPECTION)
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_the_environment_configures_each_part(router: Router) -> None:
    env = {
        "FEDTASKS_INTROSPECTION": "on",
        "FEDTASKS_CSRF": "off",
        "FEDTASKS_CORS_ORIGINS": "https://app.example.com",
        "FEDTASKS_MAX_ROOT_FIELDS": "1",
        "FEDTASKS_RATE_LIMIT": "1",
        "FEDTASKS_RATE_LIMIT_BURST": "3",
        "FEDTASKS_JWT_SECRET": SECRET,
    }
    async with router(**env) as http:
        introspection = await http.post(
            "/graphql", json=INTROSPECTION, headers={"Origin": "https://app.example.com"}
        )
        assert introspection.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        assert introspection.headers["access-control-allow-origin"] == "https://app.example.com"
        get = await http.get("/graphql", params={"query": "{ __typename }"})
        assert get.json() == {"data": {"__typename": "Query"}}
        two_roots = await http.post("/graphql", json={"query": "{ a: __typename b: __typename }"})
        assert code_of(two_roots) == "MAX_ROOT_FIELDS_EXCEEDED"
        # The fourth request of this address is over the burst of 3; a signed-in caller
        # (the authentication middleware runs first) has a bucket of their own.
        limited = await http.post("/graphql", json={"query": "{ __typename }"})
        assert (limited.status_code, code_of(limited)) == (429, "RATE_LIMITED")
        assert limited.headers["retry-after"] == "60"
        signed_in = await http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"Authorization": f"Bearer {hs256(subject='ada')}"},
        )
        assert signed_in.status_code == 200
        assert (await http.get("/health")).status_code == 200
