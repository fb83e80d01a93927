"""No caller is ever served another caller's data: `me` through routers with the cache on.

Real subgraphs, real tokens from ``signUp``, the router's authentication, its entity cache
and its in-flight dedupe, on the in-process backend and the real Redis (one router, and
two replicas on one Redis), on SQLite and Postgres. Two users and an anonymous caller ask
for ``me`` in every order, one after another and 66 at once.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import parse

from router.cache.redis_backend import RedisBackend
from router.transport.base import SubgraphRequest, SubgraphResponse
from router.transport.dedupe import DedupingTransport
from tests.router.cache.caller_stack import (
    ME,
    Graph,
    callers,
    concurrently,
    own_me,
    running_graph,
)
from tests.router.cache.conftest import CacheUnderTest

ORDERS = list(itertools.permutations(range(3)))
PUBLIC = "{ users(first: 5) { edges { node { id name } } } }"
SUBGRAPH_SDLS = [Path(__file__).parents[3] / "schema" / f"{s}.graphql" for s in ("users", "tasks")]


@pytest.fixture
async def graph(users_url: str, tasks_url: str) -> AsyncIterator[Graph]:
    async with running_graph(users_url, tasks_url) as graph:
        yield graph


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
async def test_each_caller_gets_their_own_me_in_every_order(
    graph: Graph, cache: CacheUnderTest, order: tuple[int, ...]
) -> None:
    router = await graph.router(cache.backend)
    everyone = await callers(router)

    for _ in range(2):  # the second round is where a cache would answer
        for caller in (everyone[i] for i in order):
            answer = await router.data(ME, token=caller.token)
            assert answer == {"me": own_me(caller)}, caller.name


async def test_sixty_six_concurrent_callers_each_get_their_own_me(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    everyone = await callers(router)
    crowd = everyone * 22
    random.Random(12).shuffle(crowd)

    for _ in range(2):
        answers = await concurrently(router, crowd, ME)
        assert answers == [{"me": own_me(c)} for c in crowd]


async def test_me_beside_public_fields_is_still_the_callers_own(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    everyone = await callers(router)
    query = "{ me { id name } users(first: 5) { edges { node { id name } } } }"

    for caller in [*everyone, *reversed(everyone)]:
        data = await router.data(query, token=caller.token)
        mine = own_me(caller)
        assert data["me"] == (None if mine is None else {"id": mine["id"], "name": mine["name"]})
        assert len(data["users"]["edges"]) == 2


async def test_two_replicas_on_two_connections_never_mix_callers(
    graph: Graph, two_connections: tuple[RedisBackend, RedisBackend]
) -> None:
    replicas = [await graph.router(two_connections[0]), await graph.router(two_connections[1])]
    everyone = await callers(replicas[0])
    draw = random.Random(7)

    for order in ORDERS:
        for i in order:
            replica = draw.choice(replicas)
            assert await replica.data(ME, token=everyone[i].token) == {"me": own_me(everyone[i])}
    crowd = everyone * 22
    draw.shuffle(crowd)
    answers = await asyncio.gather(
        *(replicas[n % 2].data(ME, token=c.token) for n, c in enumerate(crowd))
    )
    assert list(answers) == [{"me": own_me(c)} for c in crowd]


async def test_a_public_answer_is_shared_and_me_is_kept_per_caller(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    ada, grace, anonymous = await callers(router)
    router.calls.sent.clear()

    for caller in (ada, grace, anonymous, ada, grace, anonymous):
        await router.data(PUBLIC, token=caller.token)
    public_calls = len(router.calls.sent)
    for caller in (ada, grace, anonymous, ada, grace, anonymous):
        await router.data(ME, token=caller.token)
    me_calls = len(router.calls.sent) - public_calls

    # The users list is the same for everyone: asked once. `me` is asked once per
    # signed-in caller (then kept under their identity) and every time for the anonymous
    # caller, whose private answer nothing may keep.
    assert public_calls == 1
    assert me_calls == 2 + 2


class Slow:
    """A subgraph stand-in that answers after every caller has asked (pure unit test)."""

    def __init__(self) -> None:
        self.calls: list[SubgraphRequest] = []
        self.release = asyncio.Event()

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        self.calls.append(request)
        await self.release.wait()
        return SubgraphResponse(data={"me": {"id": request.headers.get("x-fedtasks-user-id")}})

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize(
    ("users", "expected_calls"),
    [(["a", "b"], 2), (["a", "a"], 1), (["a", None], 2), ([None, None], 1)],
)
async def test_dedupe_shares_an_answer_only_within_one_identity(
    users: list[str | None], expected_calls: int
) -> None:
    slow = Slow()
    dedupe = DedupingTransport(slow)

    def request(user: str | None) -> SubgraphRequest:
        headers = {"x-fedtasks-user-id": user, "x-fedtasks-scopes": "member"} if user else {}
        return SubgraphRequest("query Who { me { id } }", headers=headers)

    sent = [asyncio.create_task(dedupe.send("users", request(u))) for u in users]
    for _ in range(1000):  # until every caller has asked (each yields once or twice)
        if len(slow.calls) + dedupe.shared == len(users):
            break
        await asyncio.sleep(0)
    slow.release.set()
    answers = [(await s).data for s in sent]

    assert len(slow.calls) == expected_calls
    assert answers == [{"me": {"id": u}} for u in users]


async def test_two_callers_me_at_the_same_instant_are_two_subgraph_calls(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    ada, grace, _ = await callers(router)
    router.calls.sent.clear()

    answers = await concurrently(router, [ada, grace, ada, grace], ME)

    assert answers == [{"me": own_me(c)} for c in (ada, grace, ada, grace)]
    who = sorted(r.headers["x-fedtasks-user-id"] for _, r in router.calls.sent)
    assert who == sorted([ada.user_id, grace.user_id])  # type: ignore[type-var]


async def test_emails_and_roles_read_signed_in_never_reach_an_anonymous_caller(
    graph: Graph, cache: CacheUnderTest
) -> None:
    router = await graph.router(cache.backend)
    everyone = await callers(router)
    query = "{ users(first: 5) { edges { node { id email role } } } }"

    for _ in range(2):  # the second round is where a cache would answer
        for caller in everyone:
            response = await router.post(query, token=caller.token)
            body = response.json()
            if caller.token is None:
                codes = {error["extensions"]["code"] for error in body["errors"]}
                assert codes == {"UNAUTHENTICATED"}
                assert "@example.com" not in response.text
            else:
                emails = [e["node"]["email"] for e in body["data"]["users"]["edges"]]
                assert emails
                assert all("@" in email for email in emails)


def test_the_private_fields_are_the_ones_these_tests_cover() -> None:
    """Every type or field a subgraph marks PRIVATE: a new one needs a case above."""
    private: set[str] = set()
    for sdl in SUBGRAPH_SDLS:
        for definition in parse(sdl.read_text(encoding="utf-8")).definitions:
            name = getattr(definition, "name", None)
            if name is None:
                continue
            if _private(getattr(definition, "directives", None)):
                private.add(name.value)
            for field in getattr(definition, "fields", None) or ():
                if _private(field.directives):
                    private.add(f"{name.value}.{field.name.value}")

    # `me` and the personal fields of users are what the tests above ask; AuthPayload
    # only comes from mutations (never stored).
    assert private == {"Query.me", "AuthPayload", "User.email", "User.role"}


def _private(directives: object) -> bool:
    for directive in directives if isinstance(directives, tuple | list) else ():
        if directive.name.value == "cacheControl":
            for argument in directive.arguments:
                if argument.name.value == "scope" and getattr(argument.value, "value", "") == (
                    "PRIVATE"
                ):
                    return True
    return False
