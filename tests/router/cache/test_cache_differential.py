"""The router with its cache and dedupe on answers exactly as the router with both off.

A seeded, bounded property test on the real subgraphs and the same data: random queries
drawn from the API schema (``me``, nested entities and private fields included), sent by
random callers (two signed-up users with real tokens, and an anonymous one), one after
another and in concurrent bursts, interleaved with random mutations by those callers.
Each query goes to both routers; every answer must be equal, errors included. Mutations
go through the caching router (it invalidates what they change), then both read.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from tests.router.cache.caller_stack import (
    SUPERGRAPH,
    Caller,
    Graph,
    Router,
    callers,
    running_graph,
)
from tests.router.cache.conftest import CacheUnderTest
from tests.router.cache.operations import OperationDrawer

STEPS = 60
BURST = 12
SEEDS = (1, 2)
SORTED = orjson.OPT_SORT_KEYS


@pytest.fixture
async def graph(users_url: str, tasks_url: str) -> AsyncIterator[Graph]:
    async with running_graph(users_url, tasks_url) as graph:
        yield graph


async def answer(router: Router, query: str, caller: Caller) -> tuple[int, Any]:
    """Status and body; errors sorted, as GraphQL gives their order no meaning.

    (A cache hit for one entity and a call for another report the same errors as one call
    for both, in another order.)
    """
    response = await router.post(query, token=caller.token)
    body = response.json()
    if "errors" in body:
        body["errors"] = sorted(body["errors"], key=lambda e: orjson.dumps(e, option=SORTED))
    return response.status_code, body


class Mutations:
    """Random changes a caller may try (some are refused: FORBIDDEN is part of the story)."""

    def __init__(self, rng: random.Random, users: list[str]) -> None:
        self.rng = rng
        self.users = users
        self.tasks: list[str] = []

    def draw(self, caller: Caller) -> tuple[str, dict[str, Any]]:
        kind = self.rng.choice(["create", "create", "update", "delete", "rename"])
        if kind == "rename" and caller.user_id is not None:
            return (
                "mutation($id: ID!, $i: UpdateUserInput!) "
                "{ updateUser(id: $id, input: $i) { id } }",
                {"id": caller.user_id, "i": {"name": f"{caller.name} {self.rng.randint(1, 99)}"}},
            )
        if kind in ("update", "delete") and self.tasks:
            task = self.rng.choice(self.tasks)
            if kind == "delete":
                return "mutation($id: ID!) { deleteTask(id: $id) }", {"id": task}
            change = self.rng.choice(
                [
                    {"title": f"renamed {self.rng.randint(1, 99)}"},
                    {"status": self.rng.choice(["TODO", "IN_PROGRESS", "DONE"])},
                    {"assigneeId": self.rng.choice([*self.users, None])},
                ]
            )
            return (
                "mutation($id: ID!, $i: UpdateTaskInput!) "
                "{ updateTask(id: $id, input: $i) { id } }",
                {"id": task, "i": change},
            )
        title = f"task {self.rng.randint(1, 999)}"
        return (
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
            {"i": {"title": title, "assigneeId": self.rng.choice([*self.users, None])}},
        )


@pytest.mark.parametrize("seed", SEEDS)
async def test_cache_on_answers_as_cache_off(
    graph: Graph, cache: CacheUnderTest, seed: int
) -> None:
    cached = await graph.router(cache.backend)
    reference = await graph.router(None)
    everyone = await callers(cached)
    users = [c.user_id for c in everyone if c.user_id is not None]
    rng = random.Random(seed)
    drawer = OperationDrawer(SUPERGRAPH.api_schema, rng)
    mutations = Mutations(rng, users)
    drawn: list[str] = []
    compared = 0

    def draw_query() -> str:
        # Clients send the same operations again and again: so do these, most of the time.
        if drawn and rng.random() < 0.6:
            return rng.choice(drawn)
        drawn.append(drawer.query([*users, *mutations.tasks]))
        return drawn[-1]

    for step in range(STEPS):
        caller = rng.choice(everyone)
        roll = rng.random()
        if roll < 0.1:
            mutation, variables = mutations.draw(caller)
            response = await cached.post(mutation, variables, caller.token)
            created = (response.json().get("data") or {}).get("createTask")
            if created:
                mutations.tasks.append(created["id"])
        elif roll < 0.2:
            burst = [(draw_query(), rng.choice(everyone)) for _ in range(BURST)]
            got = await asyncio.gather(*(answer(cached, q, c) for q, c in burst))
            for (sent, who), mine in zip(burst, got, strict=True):
                expected = await answer(reference, sent, who)
                assert mine == expected, f"step {step}, {who.name}: {sent}"
                compared += 1
        else:
            sent = draw_query()
            first, second = (cached, reference) if rng.random() < 0.5 else (reference, cached)
            one, two = await answer(first, sent, caller), await answer(second, sent, caller)
            assert one == two, f"step {step}, {caller.name}: {sent}"
            compared += 1

    # The comparison means something only if the cache served answers along the way.
    assert compared > STEPS // 2
    asked, asked_without_cache = (
        sum(not request.mutation for _, request in router.calls.sent)
        for router in (cached, reference)
    )
    assert asked < asked_without_cache * 0.9
