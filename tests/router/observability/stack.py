"""The router's app with its observability, over the real subgraphs running in process.

Wired as ``fedtasks router`` wires it (router/router_command.py): the observed transport
right over the subgraph connections and under the in-flight dedupe, the observability
middleware outermost. A ``HeaderRecorder`` in front of each subgraph notes the headers
every GraphQL call brought; a subgraph named in ``down`` is given a port nothing listens on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from prometheus_client import CollectorRegistry
from starlette.types import ASGIApp, Receive, Scope, Send

from router.cache.backend import CacheBackend
from router.cache.caching_transport import CachingTransport
from router.cache.plans import SharedPlans
from router.observability import Observability, RouterMetrics, Tracing
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphTransport
from router.transport.dedupe import DedupingTransport
from router.transport.http import HttpTransport
from tests.support.processes import free_port

SUPERGRAPH = read_supergraph(
    (Path(__file__).parents[3] / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
)

TASKS_WITH_ASSIGNEES = """
query TasksWithAssignees { tasks(first: 5) { edges { node { title assignee { name } } } } }
"""


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
class ObservedRouter:
    """A client of the router app, its metrics registry, and what each subgraph received."""

    http: httpx.AsyncClient
    registry: CollectorRegistry
    recorders: dict[str, HeaderRecorder]

    async def post(self, query: str, *, variables: Any = None, **headers: str) -> httpx.Response:
        body = {"query": query, "variables": variables or {}}
        return await self.http.post("/graphql", json=body, headers=headers)

    def sample(self, name: str, **labels: str) -> float:
        """A metric sample's value (0 when it has none yet)."""
        return self.registry.get_sample_value(name, labels) or 0.0


@asynccontextmanager
async def observed_router(
    apps: dict[str, ASGIApp],
    *,
    tracing: Tracing | None = None,
    down: tuple[str, ...] = (),
    shared_plans: SharedPlans | None = None,
    cache: CacheBackend | None = None,
) -> AsyncIterator[ObservedRouter]:
    """The router over ``apps`` (by subgraph name), observed as ``fedtasks router`` is.

    With ``cache``, the entity cache is in front, and /health/subgraphs pings under it.
    """
    recorders = {name: HeaderRecorder(app) for name, app in apps.items()}
    urls = {name: f"http://{name}/graphql" for name in recorders}
    urls.update({name: f"http://127.0.0.1:{free_port()}/graphql" for name in down})
    registry = CollectorRegistry()
    observability = Observability(RouterMetrics(registry), tracing)
    subgraphs = HttpTransport(
        urls,
        transports={name: httpx.ASGITransport(app=r) for name, r in recorders.items()},
    )
    transport: SubgraphTransport = DedupingTransport(observability.transport(subgraphs))
    probe = transport
    if cache is not None:
        transport = CachingTransport(transport, cache, SUPERGRAPH)
    pipeline = RouterPipeline(SUPERGRAPH, transport, probe=probe, shared_plans=shared_plans)
    app = create_router_app(pipeline, middleware=[observability.middleware()])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as http:
        try:
            yield ObservedRouter(http, registry, recorders)
        finally:
            await transport.aclose()


# The caller a seed runs as: the identity headers the router would set, for an admin.
ADMIN = {"x-fedtasks-user-id": "seed-admin", "x-fedtasks-scopes": "admin"}


async def seed(users: httpx.AsyncClient, tasks: httpx.AsyncClient) -> None:
    """One user with one task assigned, made on the subgraphs themselves (in dev mode)."""

    async def data(http: httpx.AsyncClient, query: str, variables: Any = None) -> Any:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=ADMIN
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    user = await data(
        users, 'mutation { createUser(input: {name: "Ada", email: "ada@example.com"}) { id } }'
    )
    await data(
        tasks,
        'mutation($a: ID!) { createTask(input: {title: "Ship", assigneeId: $a}) { id } }',
        {"a": user["createUser"]["id"]},
    )
