"""The router's ASGI app over the real users and tasks subgraphs, in process.

Both subgraphs run their own apps (lifespan, migrated database) behind the router's
in-process transport; the router app is the one ``create_router_app`` builds, with the
limits, middleware and endpoint options a test asks for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.middleware import Middleware

from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from router.cache.config import CacheSettings, build_backend
from router.cache.persisted import PersistedQueries
from router.operation.limits import NO_LIMITS, OperationLimits
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.server.safety_config import SafetyConfig
from router.supergraph.reader import read_supergraph
from router.transport.in_process import InProcessTransport
from tests.router.auth.tokens import SECRET
from tests.router.limits.schema import SUPERGRAPH
from tests.support.apps import serve_in_process


@dataclass
class Router:
    """A client of the router app, and its pipeline."""

    client: httpx.AsyncClient
    pipeline: RouterPipeline

    async def post(self, body: Any, **headers: str) -> httpx.Response:
        """POST ``body`` as JSON to /graphql."""
        return await self.client.post("/graphql", json=body, headers=headers)


@asynccontextmanager
async def router_app(
    users_url: str,
    tasks_url: str,
    *,
    limits: OperationLimits = NO_LIMITS,
    persisted: PersistedQueries | None = None,
    middleware: Sequence[Middleware] = (),
    **options: Any,
) -> AsyncIterator[Router]:
    """The router over both subgraphs; ``options`` go to ``create_router_app``."""
    async with (
        serve_in_process("users", users_url) as (users, _),
        serve_in_process("tasks", tasks_url) as (tasks, _),
        InProcessTransport({"users": users, "tasks": tasks}) as transport,
    ):
        pipeline = RouterPipeline(
            read_supergraph(SUPERGRAPH.read_text(encoding="utf-8")),
            transport,
            limits=limits,
            persisted=persisted,
        )
        app = create_router_app(pipeline, middleware=middleware, **options)
        asgi = httpx.ASGITransport(app=app)
        # As a GraphQL over HTTP client asks: the status code tells request errors apart.
        accept = {"accept": "application/graphql-response+json"}
        async with httpx.AsyncClient(
            transport=asgi, base_url="http://router", headers=accept
        ) as client:
            yield Router(client, pipeline)


@asynccontextmanager
async def production_router(users_url: str, tasks_url: str) -> AsyncIterator[Router]:
    """The router as ``fedtasks router`` sets it up by default, with HS256 authentication.

    Limits and endpoint options from the production defaults, APQ on the in-process cache,
    and the authentication middleware (tokens signed with the auth tests' secret).
    """
    safety = SafetyConfig.from_env({}, dev_mode=False)
    backend = build_backend(CacheSettings())
    verifier = TokenVerifier.from_settings(AuthSettings(secret=SECRET))
    try:
        async with router_app(
            users_url,
            tasks_url,
            limits=safety.limits,
            persisted=PersistedQueries(backend),
            middleware=[Middleware(AuthenticationMiddleware, verifier=verifier)],
            csrf_prevention=safety.csrf_prevention,
            max_body_bytes=safety.max_body_bytes,
            max_batch=safety.max_batch,
        ) as router:
            yield router
    finally:
        await verifier.aclose()
        await backend.aclose()
