"""Routers as clients meet them, signed in with real tokens, over the real subgraphs.

Both subgraphs run in process on the test's databases. Each router is the production
chain in front of them: the entity cache over the in-flight dedupe over the subgraph
transport, the pipeline, and the app with its authentication step verifying the tokens
the users subgraph's ``signUp`` signs. ``caching=False`` gives the reference router: no
cache and no dedupe, every answer asked of the subgraphs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.middleware import Middleware

from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from router.cache.backend import CacheBackend
from router.cache.caching_transport import CachingTransport
from router.cache.fail_open import FailOpenBackend
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphTransport
from router.transport.dedupe import DedupingTransport
from router.transport.in_process import InProcessTransport
from tests.router.cache.router_stack import Recording
from tests.support.apps import serve_in_process
from tests.support.auth import JWT_SECRET

SUPERGRAPH = read_supergraph(
    (Path(__file__).parents[3] / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
)
ME = "query Who { me { id name email } }"


@dataclass
class Router:
    """A client of one router app, and the calls it made to the subgraphs."""

    http: httpx.AsyncClient
    calls: Recording

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        response = await self.post(query, variables, token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


@dataclass
class Caller:
    """Someone calling the graph: a signed-up user with a token, or anonymous (no token)."""

    name: str
    token: str | None = None
    user_id: str | None = None


@dataclass
class Graph:
    """The subgraph apps, and a way to put routers in front of them."""

    apps: dict[str, FastAPI]
    exits: AsyncExitStack

    async def router(self, backend: CacheBackend | None) -> Router:
        """A router over the subgraphs; with a backend, its cache and dedupe are on."""
        inner = await self.exits.enter_async_context(InProcessTransport(self.apps))
        recording = Recording(inner)
        transport: SubgraphTransport = recording
        if backend is not None:
            # As `fedtasks router` builds it: fail-open (a slow Redis is a miss, never an
            # error), invalidations confirmed by the backend itself.
            fail_open = FailOpenBackend(backend)
            transport = CachingTransport(
                DedupingTransport(recording), fail_open, SUPERGRAPH, direct=backend
            )
        verifier = TokenVerifier.from_settings(AuthSettings(secret=JWT_SECRET))
        self.exits.push_async_callback(verifier.aclose)
        app = create_router_app(
            RouterPipeline(SUPERGRAPH, transport),
            middleware=[Middleware(AuthenticationMiddleware, verifier=verifier)],
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router")
        await self.exits.enter_async_context(http)
        return Router(http, recording)


@asynccontextmanager
async def running_graph(users_url: str, tasks_url: str) -> AsyncIterator[Graph]:
    """Both subgraphs in process on these databases, for routers to be put in front of."""
    async with AsyncExitStack() as exits:
        users, _ = await exits.enter_async_context(serve_in_process("users", users_url))
        tasks, _ = await exits.enter_async_context(serve_in_process("tasks", tasks_url))
        yield Graph({"users": users, "tasks": tasks}, exits)


async def sign_up(router: Router, name: str) -> Caller:
    """A new account through the router: its token and id, as a client gets them."""
    data = await router.data(
        "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }",
        {"i": {"name": name, "email": f"{name.lower()}@example.com", "password": "a long secret"}},
    )
    payload = data["signUp"]
    return Caller(name, payload["token"], payload["user"]["id"])


async def callers(router: Router) -> list[Caller]:
    """Two signed-up users and an anonymous caller."""
    return [await sign_up(router, "Ada"), await sign_up(router, "Grace"), Caller("anonymous")]


def own_me(caller: Caller) -> dict[str, Any] | None:
    """What ``ME`` must answer ``caller``: their own user, or null when anonymous."""
    if caller.user_id is None:
        return None
    return {
        "id": caller.user_id,
        "name": caller.name,
        "email": f"{caller.name.lower()}@example.com",
    }


async def concurrently(router: Router, who: Sequence[Caller], query: str) -> list[Any]:
    """``query`` from every caller of ``who`` at once; their answers in the same order."""
    return list(await asyncio.gather(*(router.data(query, token=c.token) for c in who)))
