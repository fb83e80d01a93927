"""The router's ASGI app, with its authentication step, in front of the real subgraphs.

Both subgraphs run in process on the test's databases; a ``HeaderRecorder`` in front of
each notes the headers every GraphQL call brought, so a test can see what reached them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.supergraph.reader import read_supergraph
from router.transport.in_process import InProcessTransport
from tests.router.auth.tokens import SECRET
from tests.support.apps import serve_in_process

SUPERGRAPH = Path(__file__).parents[3] / "schema" / "supergraph.graphql"
SUBGRAPH_SECRET = "router-to-subgraph-secret"


@dataclass
class HeaderRecorder:
    """An ASGI wrapper noting the headers of each ``/graphql`` request."""

    app: ASGIApp
    seen: list[dict[str, str]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/graphql":
            self.seen.append({k.decode().lower(): v.decode() for k, v in scope["headers"]})
        await self.app(scope, receive, send)


@dataclass
class RouterUnderTest:
    """A client of the router app and what each subgraph received."""

    client: httpx.AsyncClient
    recorders: dict[str, HeaderRecorder]

    async def post(
        self, query: str, variables: dict[str, object] | None = None, **headers: str
    ) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )


@asynccontextmanager
async def router_over_subgraphs(
    users_url: str,
    tasks_url: str,
    *,
    settings: AuthSettings | None = None,
    subgraph_secret: str | None = SUBGRAPH_SECRET,
    production: bool = False,
) -> AsyncIterator[RouterUnderTest]:
    """The router (HS256 with the tests' secret unless ``settings``) over both subgraphs.

    ``production`` runs the subgraphs in production mode, requiring ``subgraph_secret``.
    """
    options: dict[str, Any] = (
        {"dev": False, "subgraph_secret": subgraph_secret} if production else {}
    )
    async with (
        serve_in_process("users", users_url, **options) as (users, _),
        serve_in_process("tasks", tasks_url, **options) as (tasks, _),
    ):
        recorders = {"users": HeaderRecorder(users), "tasks": HeaderRecorder(tasks)}
        verifier = TokenVerifier.from_settings(settings or AuthSettings(secret=SECRET))
        async with InProcessTransport(dict(recorders)) as transport:
            pipeline = RouterPipeline(
                read_supergraph(SUPERGRAPH.read_text(encoding="utf-8")),
                transport,
                subgraph_secret=subgraph_secret,
            )
            app = create_router_app(
                pipeline, middleware=[Middleware(AuthenticationMiddleware, verifier=verifier)]
            )
            asgi = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=asgi, base_url="http://router") as client:
                yield RouterUnderTest(client, recorders)
        await verifier.aclose()
