"""Run a small federated graph of Strawberry subgraphs in-process behind the router.

``Federation({name: strawberry.federation.Schema})`` asks each schema for its SDL through
``{ _service { sdl } }`` (what a real router or rover does), composes the SDLs with our
composer (the test fails on any composition error), reads the supergraph, and serves each
schema as an ASGI app (``strawberry.asgi.GraphQL``) behind the router's HTTP transport:

- ``await federation.run(query, variables)`` is the client's response body;
- ``federation.plan(query)`` is the query plan JSON (``QueryPlan.to_json()``);
- ``federation.requests`` records what the last ``run`` sent to each subgraph, in order;
- ``down={"name"}`` points a subgraph at a closed local port (a subgraph that is down);
- ``apps={"name": asgi_app}`` serves a subgraph with another ASGI app (e.g. a broken one);
- ``supergraph_sdl=...`` skips composition (for graphs our composer wrongly rejects).

``assert_snapshot(value, path)`` compares with a JSON file next to the test; run with
``UPDATE_SNAPSHOTS=1`` to (re)write the files.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import strawberry
from graphql import parse
from strawberry.asgi import GraphQL

from router.composition.compose import SubgraphSource, compose
from router.pipeline import RouterPipeline
from router.planner.build import build_plan
from router.server.contract import GraphQLRequest
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from router.transport.http import HttpTransport

SERVICE_SDL = "{ _service { sdl } }"


def subgraph_sdl(schema: strawberry.federation.Schema) -> str:
    """The SDL a subgraph publishes through ``_service { sdl }``."""
    result = schema.execute_sync(SERVICE_SDL)
    assert result.errors is None, result.errors
    assert result.data is not None
    sdl: str = result.data["_service"]["sdl"]
    return sdl


def compose_supergraph(schemas: Mapping[str, strawberry.federation.Schema]) -> str:
    """The supergraph SDL of ``schemas``; fails the test on composition errors."""
    sources = [
        SubgraphSource(name, f"http://{name}/graphql", subgraph_sdl(schema))
        for name, schema in schemas.items()
    ]
    result = compose(sources)
    assert not result.errors, [f"{e.code}: {e.message}" for e in result.errors]
    assert result.supergraph is not None
    return result.supergraph


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class SentRequest:
    """One operation the router sent to a subgraph."""

    subgraph: str
    query: str
    variables: dict[str, Any]

    @property
    def representations(self) -> list[dict[str, Any]]:
        """The ``representations`` of an ``_entities`` call (empty for root fetches)."""
        reps: list[dict[str, Any]] = self.variables.get("representations") or []
        return reps


class _Recording(httpx.AsyncBaseTransport):
    """An httpx transport that records each GraphQL request before passing it on."""

    def __init__(self, name: str, inner: httpx.AsyncBaseTransport, log: list[SentRequest]):
        self.name = name
        self.inner = inner
        self.log = log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        self.log.append(SentRequest(self.name, body["query"], body.get("variables") or {}))
        return await self.inner.handle_async_request(request)


class Federation:
    """A composed graph of in-process Strawberry subgraphs behind a RouterPipeline."""

    def __init__(
        self,
        schemas: Mapping[str, strawberry.federation.Schema],
        *,
        down: frozenset[str] | set[str] = frozenset(),
        enabled_labels: frozenset[str] = frozenset(),
        supergraph_sdl: str | None = None,
        apps: Mapping[str, Any] | None = None,
    ) -> None:
        self.schemas = dict(schemas)
        self.down = frozenset(down)
        self.enabled_labels = enabled_labels
        self.supergraph_sdl = supergraph_sdl or compose_supergraph(self.schemas)
        self.supergraph: Supergraph = read_supergraph(self.supergraph_sdl)
        self.apps = {name: GraphQL(schema) for name, schema in self.schemas.items()}
        self.apps.update(apps or {})
        self.requests: list[SentRequest] = []

    def _transport(self) -> HttpTransport:
        port = closed_port()
        urls = {
            name: f"http://127.0.0.1:{port}/graphql"
            if name in self.down
            else f"http://{name}/graphql"
            for name in self.schemas
        }
        transports: dict[str, httpx.AsyncBaseTransport] = {
            name: _Recording(name, httpx.ASGITransport(app=app), self.requests)
            for name, app in self.apps.items()
            if name not in self.down
        }
        return HttpTransport(urls, timeout=5.0, connect_timeout=1.0, transports=transports)

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The response body of one client request (fresh transport and plan cache)."""
        self.requests = []
        async with self._transport() as transport:
            pipeline = RouterPipeline(
                self.supergraph, transport, enabled_labels=self.enabled_labels
            )
            outcome = await pipeline.execute(
                GraphQLRequest(
                    query=query,
                    operation_name=operation_name,
                    variables=dict(variables or {}),
                    headers=dict(headers or {}),
                )
            )
        return outcome.body

    async def run(
        self, query: str, variables: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Alias of ``execute``: the client's response body."""
        return await self.execute(query, variables, **kwargs)

    def plan(self, query: str, operation_name: str | None = None) -> dict[str, Any]:
        """The query plan of ``query`` as JSON."""
        return build_plan(
            self.supergraph, parse(query), operation_name, self.enabled_labels
        ).to_json()

    def sent_to(self, subgraph: str) -> list[SentRequest]:
        """What the last run sent to ``subgraph``."""
        return [r for r in self.requests if r.subgraph == subgraph]


def fetches(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every Fetch node of a plan, depth first."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("kind") == "Fetch":
                found.append(node)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(plan)
    return found


def assert_snapshot(value: Any, path: Path) -> None:
    """``value`` equals the JSON stored at ``path``; UPDATE_SNAPSHOTS=1 rewrites the file."""
    text = json.dumps(value, indent=2, sort_keys=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(text)
        if os.environ.get("UPDATE_SNAPSHOTS") != "1":
            raise AssertionError(f"snapshot {path.name} was missing and has been written")
        return
    assert value == json.loads(path.read_text()), f"plan differs from {path.name}"


def subgraph(
    query: type, *, mutation: type | None = None, types: tuple[type, ...] = ()
) -> strawberry.federation.Schema:
    """A Federation 2.7 Strawberry schema."""
    return strawberry.federation.Schema(
        query=query, mutation=mutation, types=types, federation_version="2.7"
    )
