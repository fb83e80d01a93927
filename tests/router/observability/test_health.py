"""The router's /health (the process is alive) and /ready (the supergraph is loaded and
every subgraph answers): ready is false while a subgraph is down."""

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

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_not_ready_while_a_subgraph_is_down_but_still_alive(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    async with observed_router({"tasks": subgraph_apps["tasks"]}, down=("users",)) as router:
        health = await router.http.get("/health")
        ready = await router.http.get("/ready")

    assert health.status_code == 200
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})


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


async def test_the_cache_does_not_answer_ready_for_a_subgraph_that_went_down(
    subgraph_apps: dict[str, FastAPI],
) -> None:
    users = Switch(subgraph_apps["users"])
    apps = {"users": users, "tasks": subgraph_apps["tasks"]}
    async with observed_router(apps, cache=MemoryBackend()) as router:
        assert (await router.http.get("/ready")).status_code == 200
        users.on = False
        assert (await router.http.get("/ready")).status_code == 503
        users.on = True
        assert (await router.http.get("/ready")).status_code == 200
