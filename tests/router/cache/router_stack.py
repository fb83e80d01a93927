"""Routers with the entity cache in front of the real users and tasks subgraphs (in-process).

``Stack`` holds the two subgraph apps; each ``replica`` is a router of its own (pipeline,
caching transport) on a given cache backend, as replicas sharing one Redis would be.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from router.auth.identity import Identity
from router.cache.backend import CacheBackend
from router.cache.caching_transport import CachingTransport
from router.cache.policy import CachePolicy
from router.cache.report import reporting
from router.pipeline import RouterPipeline
from router.server.contract import GraphQLRequest
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphRequest, SubgraphResponse, SubgraphTransport
from router.transport.in_process import InProcessTransport
from tests.support.apps import serve_in_process

SDL = Path("schema/supergraph.graphql").read_text(encoding="utf-8")

USERS = """
{ users(first: 10) {
    edges { node { name taskCount tasks(first: 10) { edges { node { title } } } } } } }
"""
USER_TASKS = """
query($id: ID!) { user(id: $id) { name taskCount tasks(first: 10) { edges { node { title } } } } }
"""
TASKS = "{ tasks(first: 10) { edges { node { id title } } } }"
# Who the tests' mutations come from, as the router's authentication would name them.
ADMIN = Identity("cache-tests-admin", frozenset({"member", "admin"}))


@dataclass
class Recording:
    """A transport that notes each request before passing it on."""

    inner: SubgraphTransport
    sent: list[tuple[str, SubgraphRequest]] = field(default_factory=list)

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        self.sent.append((subgraph, request))
        return await self.inner.send(subgraph, request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def representations(self, subgraph: str) -> list[Any]:
        return [
            r
            for name, request in self.sent
            if name == subgraph
            for r in request.variables.get("representations", [])
        ]


@dataclass
class Replica:
    """One router: its pipeline, its cache and what it sent to the subgraphs."""

    pipeline: RouterPipeline
    cache: CachingTransport
    recording: Recording

    async def run(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        identity: Identity | None = None,
        **headers: str,
    ) -> dict[str, Any]:
        request = GraphQLRequest(
            query=query, variables=variables or {}, headers=headers, identity=identity
        )
        body = (await self.pipeline.execute(request)).body
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    async def mutate(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a mutation as :data:`ADMIN`, who may make any change."""
        return await self.run(query, variables, identity=ADMIN)

    async def report(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        with reporting() as report:
            await self.run(query, variables)
        return report.as_extension()


@dataclass
class Stack:
    """The two subgraphs in-process and a way to put routers in front of them."""

    apps: dict[str, FastAPI]
    supergraph: Supergraph
    transports: list[SubgraphTransport] = field(default_factory=list)

    async def replica(
        self,
        backend: CacheBackend,
        policy: CachePolicy | None = None,
        wrap: Callable[[FastAPI], Any] | None = None,
        **caching: Any,
    ) -> Replica:
        apps = {n: (wrap(a) if wrap else a) for n, a in self.apps.items()}
        inner = InProcessTransport(apps)
        await inner.__aenter__()
        self.transports.append(inner)
        recording = Recording(inner)
        cache = CachingTransport(recording, backend, self.supergraph, policy=policy, **caching)
        return Replica(RouterPipeline(self.supergraph, cache), cache, recording)


async def seed(router: Replica, users: int = 2, tasks_each: int = 2) -> list[str]:
    """Create users through ``router``, each with tasks; returns the users' ids."""
    ids: list[str] = []
    for n in range(users):
        data = await router.mutate(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            {"i": {"name": f"User {n}", "email": f"user{n}@example.com"}},
        )
        ids.append(data["createUser"]["id"])
        for t in range(tasks_each):
            await router.mutate(
                "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
                {"i": {"title": f"Task {n}.{t}", "assigneeId": ids[-1]}},
            )
    return ids


@asynccontextmanager
async def running_stack(users_url: str, tasks_url: str) -> AsyncIterator[Stack]:
    """Both subgraphs in-process on these databases; closes every replica's transport."""
    async with (
        serve_in_process("users", users_url) as (users_app, _),
        serve_in_process("tasks", tasks_url) as (tasks_app, _),
    ):
        stack = Stack({"users": users_app, "tasks": tasks_app}, read_supergraph(SDL))
        try:
            yield stack
        finally:
            for transport in stack.transports:
                await transport.aclose()
