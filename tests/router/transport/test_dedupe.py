"""In-flight deduplication over the real users subgraph (in-process)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager

from router.transport.base import SubgraphRequest, SubgraphResponse
from router.transport.dedupe import DedupingTransport
from router.transport.in_process import InProcessTransport
from subgraphs.common.migrations import upgrade_async
from tests.support.apps import build_app
from tests.support.auth import as_admin


class Counting(InProcessTransport):
    """The in-process transport, counting what actually reaches the subgraph."""

    sent = 0

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        self.sent += 1
        return await super().send(subgraph, request)


@pytest.fixture
async def transport(users_url: str) -> AsyncIterator[tuple[Counting, DedupingTransport]]:
    await upgrade_async("users", users_url)
    app = build_app("users", users_url)
    async with LifespanManager(app) as manager:
        counting = Counting({"users": manager.app})
        yield counting, DedupingTransport(counting)
        await counting.aclose()


QUERY = SubgraphRequest(query="{ users { totalCount edges { node { id } } } }")


async def test_identical_concurrent_queries_reach_the_subgraph_once(
    transport: tuple[Counting, DedupingTransport],
) -> None:
    counting, dedupe = transport
    responses = await asyncio.gather(*(dedupe.send("users", QUERY) for _ in range(20)))
    assert counting.sent == 1
    assert dedupe.shared == 19
    assert all(r.data == {"users": {"totalCount": 0, "edges": []}} for r in responses)
    # Each caller owns its copy: the executor merges into what it receives.
    responses[1].data["users"]["totalCount"] = 99  # type: ignore[index]
    assert responses[2].data == {"users": {"totalCount": 0, "edges": []}}
    assert responses[0].data == {"users": {"totalCount": 0, "edges": []}}


async def test_different_variables_and_later_queries_are_sent_again(
    transport: tuple[Counting, DedupingTransport],
) -> None:
    counting, dedupe = transport
    query = "query($first: Int) { users(first: $first) { totalCount } }"
    await asyncio.gather(
        dedupe.send("users", SubgraphRequest(query=query, variables={"first": 1})),
        dedupe.send("users", SubgraphRequest(query=query, variables={"first": 2})),
    )
    await dedupe.send("users", QUERY)
    await dedupe.send("users", QUERY)
    assert counting.sent == 4
    assert dedupe.shared == 0


async def test_mutations_are_never_shared(transport: tuple[Counting, DedupingTransport]) -> None:
    counting, dedupe = transport
    create = 'mutation { createUser(input: {name: "Ada", email: "ada@example.com"}) { id } }'
    results = await asyncio.gather(
        *(dedupe.send("users", SubgraphRequest(query=create, headers=as_admin())) for _ in range(2))
    )
    assert counting.sent == 2
    codes = sorted(r.errors[0]["extensions"]["code"] if r.errors else "CREATED" for r in results)
    assert codes == ["CONFLICT", "CREATED"]
