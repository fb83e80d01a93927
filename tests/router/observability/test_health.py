"""The router's /health (the process is alive), /ready (it can serve) and /health/subgraphs
(each subgraph answers): a subgraph that is down leaves the router ready."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from router.cache.memory import MemoryBackend
from tests.router.observability.stack import observed_router


async def test_ready_while_every_subgraph_answers(subgraph_apps: dict[str, FastAPI]) -> None:
    async with observed_router(dict(subgraph_apps)) as router:
        health = await router.http.get("/health")
        ready = await router.http.get("/ready")
        subgraphs = await router.http.get("/health/subgraphs")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert (subgraphs.status_code, subgraphs.json()) == (
        200,
        {"subgraphs": {"tasks": "up", "users": "up"}},
    )


async def test_a_subgraph_down_leaves_the_router_ready_and_is_reported_on_its_own(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router({"tasks": subgraph_apps["tasks"]}, down=("users",)) as router:
        ready = await router.http.get("/ready")
        subgraphs = await router.http.get("/health/subgraphs")
        answer = await router.post("{ tasks(first: 1) { edges { node { title } } } }")

    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert (subgraphs.status_code, subgraphs.json()) == (
        503,
        {"subgraphs": {"tasks": "up", "users": "down"}},
    )
    assert answer.status_code == 200  # what needs only the tasks subgraph is still served
    assert "errors" not in answer.json()


@dataclass
class Switch:
    """A subgraph that can be turned off: then it answers 503 with no GraphQL body."""

    app: ASGIApp
    on: bool = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.on or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await PlainTextResponse("down", status_code=503)(scope, receive, send)


async def test_the_cache_does_not_answer_for_a_subgraph_that_went_down(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    users = Switch(subgraph_apps["users"])
    apps = {"users": users, "tasks": subgraph_apps["tasks"]}
    async with observed_router(apps, cache=MemoryBackend()) as router:

        async def users_health() -> str:
            answer = await router.http.get("/health/subgraphs")
            return str(answer.json()["subgraphs"]["users"])

        assert await users_health() == "up"
        users.on = False
        assert await users_health() == "down"
        assert (await router.http.get("/ready")).status_code == 200
        users.on = True
        assert await users_health() == "up"
