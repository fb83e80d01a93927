"""Every subgraph response carries the Cache-Control its @cacheControl hints give (real apps)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from graphql import build_schema, parse

from subgraphs.common.cache_control import Policy, document_policy
from tests.support.apps import serve_in_process
from tests.support.auth import as_admin, as_user


@pytest.fixture
async def users_http(users_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process("users", users_url) as (_, http):
        yield http


@pytest.fixture
async def tasks_http(tasks_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process("tasks", tasks_url) as (_, http):
        yield http


async def cache_control(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> str | None:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.headers.get("cache-control")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "{ users(first: 2) { edges { node { id name } } totalCount } }",
            "max-age=60, public",
        ),
        ('{ user(id: "1") { name } }', "max-age=60, public"),
        ("{ me { id name } }", "max-age=60, private"),
        ("{ me { id } users(first: 1) { totalCount } }", "max-age=60, private"),
        ("{ __typename }", "no-store"),
        (
            '{ _entities(representations: [{__typename: "User", id: "1"}]) '
            "{ ... on User { name } } }",
            "max-age=60, public",
        ),
        (
            '{ _entities(representations: [{__typename: "Task", id: "1", assigneeId: null}]) '
            "{ ... on Task { assignee { name } } } }",
            "max-age=60, public",
        ),
        ("{ users(first: -1) { totalCount } }", "no-store"),  # an error: never stored
    ],
)
async def test_users_subgraph_answers_with_its_hints(
    users_http: httpx.AsyncClient, query: str, expected: str
) -> None:
    assert await cache_control(users_http, query, headers=as_user("1")) == expected


async def test_mutations_and_their_payloads_are_never_stored(users_http: httpx.AsyncClient) -> None:
    signed_up = await cache_control(
        users_http,
        "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }",
        {"i": {"name": "Ada", "email": "ada@example.com", "password": "correct horse"}},
    )
    created = await cache_control(
        users_http,
        'mutation { createUser(input: {name: "B", email: "b@example.com"}) { id } }',
        headers=as_admin(),
    )

    assert signed_up == "no-store"
    assert created == "no-store"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "{ tasks(first: 3) { edges { node { id title } } pageInfo { hasNextPage } } }",
            "max-age=60, public",
        ),
        ('{ task(id: "1") { title } }', "max-age=60, public"),
        (
            '{ _entities(representations: [{__typename: "User", id: "1"}]) '
            "{ ... on User { taskCount tasks(first: 2) { edges { node { title } } } } } }",
            "max-age=60, public",
        ),
    ],
)
async def test_tasks_subgraph_answers_with_its_hints(
    tasks_http: httpx.AsyncClient, query: str, expected: str
) -> None:
    assert await cache_control(tasks_http, query) == expected


# Apollo Server's rules on a schema of their own (pure: the walk over hints alone).
SDL = """
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)
  on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
enum CacheControlScope { PUBLIC PRIVATE }
type Query { post: Post  plain: Post  count: Int  hinted: Int @cacheControl(maxAge: 5) }
type Post { id: ID  author: Author  votes: Int @cacheControl(maxAge: 30)  mine: Boolean }
type Author { name: String }
"""


def policy(query: str, sdl: str = SDL) -> Policy:
    return document_policy(build_schema(sdl), parse(query), None)


def hinted(type_hint: str, field_hint: str = "") -> str:
    return SDL.replace("type Post {", f"type Post {type_hint} {{").replace(
        "mine: Boolean", f"mine: Boolean {field_hint}"
    )


@pytest.mark.parametrize(
    ("query", "sdl", "expected"),
    [
        # A root field with no hint is uncacheable, scalar or not.
        ("{ count }", SDL, Policy(0)),
        ("{ hinted }", SDL, Policy(5)),
        # A field returning an object without a hint: 0, whatever its children say.
        ("{ post { votes } }", SDL, Policy(0)),
        ("{ post { id } }", hinted("@cacheControl(maxAge: 60)"), Policy(60)),
        # The minimum over the fields, a child's hint included.
        ("{ post { id votes } }", hinted("@cacheControl(maxAge: 60)"), Policy(30)),
        # Author has no hint: a composite child is 0 unless it inherits.
        ("{ post { author { name } } }", hinted("@cacheControl(maxAge: 60)"), Policy(0)),
        (
            "{ post { author { name } } }",
            hinted("@cacheControl(maxAge: 60)").replace(
                "type Author {", "type Author @cacheControl(inheritMaxAge: true) {"
            ),
            Policy(60),
        ),
        # PRIVATE anywhere makes the whole answer private.
        (
            "{ post { id mine } }",
            hinted("@cacheControl(maxAge: 60)", "@cacheControl(scope: PRIVATE)"),
            Policy(60, private=True),
        ),
        ("{ hinted post { id } }", hinted("@cacheControl(maxAge: 60)"), Policy(5)),
        # Fragments count like the fields they hold.
        (
            "{ ...F } fragment F on Query { post { ... on Post { votes } } }",
            hinted("@cacheControl(maxAge: 60)"),
            Policy(30),
        ),
        ("mutation { x }", SDL + "type Mutation { x: Int @cacheControl(maxAge: 9) }", Policy()),
    ],
)
def test_the_policy_follows_apollo_servers_rules(query: str, sdl: str, expected: Policy) -> None:
    assert policy(query, sdl) == expected


@pytest.mark.parametrize(
    ("given", "header"),
    [
        (Policy(), "no-store"),
        (Policy(0), "no-store"),
        (Policy(60), "max-age=60, public"),
        (Policy(5, private=True), "max-age=5, private"),
    ],
)
def test_the_header_says_the_policy(given: Policy, header: str) -> None:
    assert given.header() == header
