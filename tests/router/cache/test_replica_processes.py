"""Two `fedtasks router` processes on one Redis, in production mode, never mix callers.

The real commands as an operator runs them: both subgraphs as processes on SQLite, two
routers with `REDIS_URL` pointing at one Redis (a private redis-server), tokens from the
users subgraph's `signUp`. Two users and an anonymous caller ask for `me` through either
router, in every order and 66 at once: each gets their own.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faults.processes import Process, base_environment
from tests.faults.stack import SERVICES, SUPERGRAPH, seed, sqlite_urls, subgraph
from tests.support.processes import free_port
from tests.support.redis_server import RedisServer

ME = "query Who { me { id name } }"


@pytest.fixture
def routers(tmp_path: Path, redis_server: RedisServer) -> Iterator[list[str]]:
    """Both subgraphs and two routers sharing ``redis_server``; the routers' URLs."""
    env = base_environment(REDIS_URL=redis_server.url)
    urls = sqlite_urls(tmp_path)
    seed(tmp_path, urls, env)
    ports = {s: free_port() for s in SERVICES}
    processes: list[Process] = []
    try:
        for service in SERVICES:
            process = subgraph(
                service,
                directory=tmp_path,
                port=ports[service],
                database_url=urls[service],
                env=env,
            ).start()
            processes.append(process)
            process.wait_until_up(f"http://127.0.0.1:{ports[service]}/health")
        routes = {
            f"FEDTASKS_SUBGRAPH_URL_{s.upper()}": f"http://127.0.0.1:{p}/graphql"
            for s, p in ports.items()
        }
        found: list[str] = []
        for n in range(2):
            port = free_port()
            router = Process(
                ["router", "--supergraph", str(SUPERGRAPH), "--port", str(port)],
                cwd=tmp_path,
                env={**env, **routes},
                log=tmp_path / f"router-{n}.log",
            ).start()
            processes.append(router)
            router.wait_until_up(f"http://127.0.0.1:{port}/health")
            found.append(f"http://127.0.0.1:{port}/graphql")
        yield found
    finally:
        for process in reversed(processes):
            process.stop()


async def post(
    http: httpx.AsyncClient, url: str, query: str, token: str | None, **more: Any
) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(url, json={"query": query, **more}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_two_router_processes_on_one_redis_keep_callers_apart(routers: list[str]) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        people: list[tuple[str | None, dict[str, str] | None]] = []
        for name in ("Ada", "Grace"):
            body = await post(
                http,
                routers[0],
                "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id name } } }",
                None,
                variables={
                    "i": {"name": name, "email": f"{name}@example.com", "password": "long enough"}
                },
            )
            payload = body["data"]["signUp"]
            people.append((payload["token"], payload["user"]))
        people.append((None, None))

        for order in itertools.permutations(range(3)):
            for i, router in itertools.product(order, routers):
                token, me = people[i]
                assert await post(http, router, ME, token) == {"data": {"me": me}}
        crowd = [people[i % 3] for i in range(66)]
        random.Random(3).shuffle(crowd)
        answers = await asyncio.gather(
            *(post(http, routers[n % 2], ME, token) for n, (token, _) in enumerate(crowd))
        )
        assert list(answers) == [{"data": {"me": me}} for _, me in crowd]
