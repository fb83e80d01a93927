"""A reload through ``build_router``'s app: a moved subgraph, with a request in flight.

The tasks subgraph moves to a new URL while a request waits on the old one: the waiting
request still gets its answer from the old server, new requests go to the new one, and
the old server's transport is closed once the waiting request has ended.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from router.router_command import build_router
from tests.router.server.supergraph_versions import FULL, write_atomically
from tests.router.transport.servers import HoldingHttpServer, Script, TinyHttpServer, graphql_ok
from tests.support.auth import JWT_SECRET, SUBGRAPH_SECRET

TASKS_URL = "http://127.0.0.1:4002/graphql"
QUERY = {"query": '{ task(id: "1") { title } }'}


def with_tasks_at(url: str) -> str:
    assert FULL.count(TASKS_URL) == 1
    return FULL.replace(TASKS_URL, url)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REDIS_URL", "FEDTASKS_SUBGRAPH_URL_TASKS", "FEDTASKS_SUBGRAPH_URL_USERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FEDTASKS_SUPERGRAPH_POLL_SECONDS", "0")  # the test checks the file
    monkeypatch.setenv("FEDTASKS_ENTITY_CACHE", "off")
    monkeypatch.setenv("FEDTASKS_RATE_LIMIT", "0")
    monkeypatch.setenv("FEDTASKS_JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("FEDTASKS_SUBGRAPH_SECRET", SUBGRAPH_SECRET)


@pytest.mark.usefixtures("environment")
async def test_a_request_in_flight_finishes_on_the_old_url_and_new_ones_use_the_new(
    tmp_path: Path,
) -> None:
    async with (
        HoldingHttpServer(Script(graphql_ok({"task": {"title": "from old"}}))) as old,
        TinyHttpServer(Script(graphql_ok({"task": {"title": "from new"}}))) as new,
    ):
        path = tmp_path / "supergraph.graphql"
        path.write_text(with_tasks_at(old.url), encoding="utf-8")
        app = build_router(str(path), dev_mode=False)
        clients = app.state.subgraph_clients
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://router"
            ) as client,
        ):
            waiting = asyncio.create_task(client.post("/graphql", json=QUERY))
            await old.wait_for(1)

            write_atomically(path, with_tasks_at(new.url))
            assert await app.state.supergraph_watcher.check() == "reloaded"
            answer = await client.post("/graphql", json=QUERY)

            assert answer.status_code == 200
            assert answer.json() == {"data": {"task": {"title": "from new"}}}
            assert ("tasks", old.url) in clients.open_routes()
            assert ("tasks", new.url) in clients.open_routes()

            old.release()
            answered = await waiting
            assert answered.status_code == 200
            assert answered.json() == {"data": {"task": {"title": "from old"}}}
            for _ in range(100):  # the old pipeline closes in a task of its own
                if ("tasks", old.url) not in clients.open_routes():
                    break
                await asyncio.sleep(0.01)
            assert clients.open_routes() == [
                ("tasks", new.url),
                ("users", "http://127.0.0.1:4001/graphql"),
            ]

        assert clients.open_routes() == []
