"""Differential test: the router over users and tasks answers as one monolithic server.

Both subgraphs run in-process on migrated, seeded databases (SQLite and Postgres) behind
a ``RouterPipeline`` over ``schema/supergraph.graphql``. The monolith (``monolith.py``)
serves the same API schema from the same two databases with plain resolvers. For each of
``QUERY_COUNT`` generated queries (``generator.py``) the router's response body must be
exactly ``{"data": <the monolith's data>}``: no errors on either side, equal values,
and the same key order (GraphQL responses are ordered like the selections).

The data holds tasks of a deleted user and of an id no user ever had: their assignee is
null through the router as in the monolith, because the users subgraph, which knows
whether a user exists, resolves ``Task.assignee`` from the stored id (``@requires``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from router.auth.identity import Identity
from router.pipeline import RouterPipeline
from router.server.contract import GraphQLRequest
from router.supergraph.reader import read_supergraph
from router.transport.in_process import InProcessTransport
from tests.differential.data import DELETED_USER, NEVER_A_USER, data_pool, seed_databases
from tests.differential.generator import GeneratedQuery, QueryGenerator
from tests.differential.monolith import SUPERGRAPH, Monolith
from tests.support.apps import serve_in_process

# Signed in, as emails and roles need, but as nobody the users subgraph knows: ``me`` is
# null, as in the monolith.
READER = Identity("a-reader-who-is-no-user", frozenset({"member"}))
QUERY_COUNT = 150
GENERATOR_SEED = 7


@dataclass
class Sides:
    """The router and the monolith over the same two databases."""

    router: RouterPipeline
    monolith: Monolith
    generator: QueryGenerator

    async def router_body(self, query: GeneratedQuery) -> dict[str, Any]:
        request = GraphQLRequest(
            query=query.document,
            operation_name=query.operation_name,
            variables=query.variables,
            identity=READER,
        )
        return (await self.router.execute(request)).body

    async def monolith_body(self, query: GeneratedQuery) -> dict[str, Any]:
        result = await self.monolith.execute(
            query.document, query.variables, operation_name=query.operation_name
        )
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        body["data"] = result.data
        return body


@pytest.fixture
async def sides(users_url: str, tasks_url: str) -> AsyncIterator[Sides]:
    async with (
        serve_in_process("users", users_url) as (users_app, _users_http),
        serve_in_process("tasks", tasks_url) as (tasks_app, _tasks_http),
    ):
        await seed_databases(users_url, tasks_url)
        pool = await data_pool(users_url, tasks_url)
        monolith = Monolith(users_url, tasks_url)
        generator = QueryGenerator(pool, monolith.schema, GENERATOR_SEED)
        try:
            async with InProcessTransport({"users": users_app, "tasks": tasks_app}) as transport:
                router = RouterPipeline(read_supergraph(SUPERGRAPH.read_text()), transport)
                yield Sides(router, monolith, generator)
        finally:
            await monolith.close()


def ordered(value: Any) -> Any:
    """``value`` with every object turned into its list of items, so order counts."""
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def differences(router: Any, monolith: Any, path: str = "") -> list[str]:
    """Where the two answers differ: each path with both values (or both key orders)."""
    if isinstance(router, dict) and isinstance(monolith, dict):
        if list(router) != list(monolith):
            what = "keys in another order" if set(router) == set(monolith) else "other keys"
            return [
                f"{path or '<root>'}: {what}: router {list(router)} / monolith {list(monolith)}"
            ]
        return [
            found
            for key in router
            for found in differences(router[key], monolith[key], f"{path}.{key}")
        ]
    if isinstance(router, list) and isinstance(monolith, list) and len(router) == len(monolith):
        return [
            found
            for index, (mine, theirs) in enumerate(zip(router, monolith, strict=True))
            for found in differences(mine, theirs, f"{path}[{index}]")
        ]
    if router == monolith:
        return []
    return [f"{path or '<root>'}: router {json.dumps(router)} / monolith {json.dumps(monolith)}"]


def report(query: GeneratedQuery, router: dict[str, Any], monolith: dict[str, Any]) -> str:
    where = "\n".join(f"#   {line}" for line in differences(router, monolith)[:10])
    return (
        f"{query.describe()}\n# differences (first 10):\n{where}\n"
        f"# router:\n{json.dumps(router, indent=1)}\n"
        f"# monolith:\n{json.dumps(monolith, indent=1)}"
    )


async def test_the_monolith_reads_the_edge_cases_of_the_data(sides: Sides) -> None:
    """The oracle itself: missing assignees are null, whatever is asked of them."""
    query = """
    query($deleted: ID!, $ghost: ID) {
      gone: user(id: $deleted) { id }
      tasks(filter: {assigneeId: $deleted}, first: 5, orderBy: CREATED_AT_ASC) {
        edges { node { title assignee { id name } } }
        totalCount
      }
      ghost: tasks(filter: {assigneeId: $ghost}) { edges { node { assignee { id } } } }
    }
    """

    body = await sides.monolith.execute(query, {"deleted": DELETED_USER, "ghost": NEVER_A_USER})

    assert body.errors is None
    assert body.data == {
        "gone": None,
        "tasks": {
            "edges": [
                {"node": {"title": "Task of a deleted user", "assignee": None}},
                {"node": {"title": "Another of a deleted user", "assignee": None}},
            ],
            "totalCount": 2,
        },
        "ghost": {"edges": [{"node": {"assignee": None}}]},
    }


ASSIGNEE_OF_A_DELETED_USER = """
query($deleted: ID!) {
  tasks(filter: {assigneeId: $deleted}, orderBy: CREATED_AT_ASC) {
    edges { node { title assignee { id } } }
  }
}
"""


async def test_the_assignee_of_a_deleted_user_is_null_when_only_its_id_is_asked(
    sides: Sides,
) -> None:
    request = GraphQLRequest(query=ASSIGNEE_OF_A_DELETED_USER, variables={"deleted": DELETED_USER})

    body = (await sides.router.execute(request)).body

    assert body == {
        "data": {
            "tasks": {
                "edges": [
                    {"node": {"title": "Task of a deleted user", "assignee": None}},
                    {"node": {"title": "Another of a deleted user", "assignee": None}},
                ]
            }
        }
    }


async def test_the_assignee_of_a_deleted_user_is_null_when_its_name_is_asked(
    sides: Sides,
) -> None:
    query = ASSIGNEE_OF_A_DELETED_USER.replace("assignee { id }", "assignee { id name }")
    request = GraphQLRequest(query=query, variables={"deleted": DELETED_USER})

    body = (await sides.router.execute(request)).body

    assert body == {
        "data": {
            "tasks": {
                "edges": [
                    {"node": {"title": "Task of a deleted user", "assignee": None}},
                    {"node": {"title": "Another of a deleted user", "assignee": None}},
                ]
            }
        }
    }


async def test_the_router_answers_generated_queries_as_the_monolith(sides: Sides) -> None:
    queries = sides.generator.queries(QUERY_COUNT)
    divergences: list[str] = []
    for query in queries:
        monolith = await sides.monolith_body(query)
        assert "errors" not in monolith, report(query, {}, monolith)
        router = await sides.router_body(query)
        if router != monolith or ordered(router) != ordered(monolith):
            divergences.append(report(query, router, monolith))

    assert not divergences, (
        f"{len(divergences)} of {len(queries)} generated queries answered differently:\n\n"
        + "\n\n".join(divergences)
    )
