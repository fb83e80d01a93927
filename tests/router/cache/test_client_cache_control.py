"""The Cache-Control the router tells clients, from its fetches' policies (real subgraphs)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.router.cache.caller_stack import ME, Graph, callers, running_graph
from tests.router.cache.conftest import CacheUnderTest

PUBLIC = "{ tasks(first: 3) { edges { node { title assignee { name } } } } }"


@pytest.fixture
async def graph(users_url: str, tasks_url: str) -> AsyncIterator[Graph]:
    async with running_graph(users_url, tasks_url) as graph:
        yield graph


def age_of(header: str, scope: str) -> int:
    match = re.fullmatch(rf"max-age=(\d+), {scope}", header)
    assert match is not None, header
    return int(match.group(1))


async def test_public_data_is_public_for_anyone_and_me_is_private(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    ada, _, anonymous = await callers(router)

    public = [await router.post(PUBLIC, token=c.token) for c in (anonymous, ada, anonymous)]
    mine = await router.post(ME, token=ada.token)
    nobody = await router.post(ME)
    both = await router.post("{ me { id } users(first: 1) { totalCount } }", token=ada.token)

    for response in public:
        assert 0 < age_of(response.headers["cache-control"], "public") <= 60
        assert response.headers["vary"] == "Authorization"
    assert 0 < age_of(mine.headers["cache-control"], "private") <= 60
    assert 0 < age_of(both.headers["cache-control"], "private") <= 60
    # Anonymous `me` is private data nothing keeps: no-store.
    assert nobody.headers["cache-control"] == "no-store"


async def test_mutations_errors_and_refusals_are_no_store(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    ada, _, _ = await callers(router)

    mutation = await router.post(
        'mutation { createTask(input: {title: "x"}) { id } }', token=ada.token
    )
    error = await router.post("{ tasks(first: -1) { totalCount } }")
    invalid = await router.post("{ nope }")

    assert mutation.json()["data"]["createTask"]["id"]
    for response in (mutation, error, invalid):
        assert response.headers["cache-control"] == "no-store", response.text
        assert "vary" not in response.headers


async def test_a_cache_hit_tells_what_is_left_of_its_ttl(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    first = await router.post(PUBLIC)
    calls = len(router.calls.sent)
    await cache.advance(5)
    again = await router.post(PUBLIC)

    assert len(router.calls.sent) == calls  # served by the cache
    assert age_of(again.headers["cache-control"], "public") <= age_of(
        first.headers["cache-control"], "public"
    )


async def test_a_batch_gets_the_strictest_policy_of_its_entries(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    ada, _, _ = await callers(router)
    headers = {"authorization": f"Bearer {ada.token}"}

    same = await router.http.post("/graphql", json=[{"query": PUBLIC}, {"query": PUBLIC}])
    mixed = await router.http.post(
        "/graphql", json=[{"query": PUBLIC}, {"query": ME}], headers=headers
    )

    assert age_of(same.headers["cache-control"], "public") > 0
    assert 0 < age_of(mixed.headers["cache-control"], "private") <= 60
    with_error = await router.http.post("/graphql", json=[{"query": PUBLIC}, {"query": "{ x }"}])
    assert with_error.headers["cache-control"] == "no-store"
