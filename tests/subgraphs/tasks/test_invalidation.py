"""`extensions.invalidation` of the tasks subgraph: a task and the users it was and is assigned to.

See docs/cache-invalidation.md. The users are named because a task mutation changes their
`tasks` and `taskCount`. Queries and mutations that changed nothing carry no `extensions`.
"""

from __future__ import annotations

from typing import Any

from tests.subgraphs.tasks.support import (
    CREATE_TASK,
    DELETE_TASK,
    TASK_PAGE,
    TASK_QUERY,
    UPDATE_TASK,
    create_task,
)
from tests.support.graphql import GraphQLClient


def task(task_id: str) -> dict[str, Any]:
    return {"kind": "entity", "type": "Task", "key": {"id": task_id}}


def user(user_id: str) -> dict[str, Any]:
    return {"kind": "entity", "type": "User", "key": {"id": user_id}}


async def invalidation(client: GraphQLClient, query: str, variables: dict[str, Any]) -> Any:
    """The response's `extensions.invalidation`; the operation must have succeeded."""
    body = await client.execute(query, variables)
    assert "errors" not in body, body["errors"]
    assert set(body["extensions"]) == {"invalidation"}
    return body["extensions"]["invalidation"]


async def test_create_task_names_the_task_and_its_assignee(tasks: GraphQLClient) -> None:
    body = await tasks.execute(CREATE_TASK, {"input": {"title": "Ship", "assigneeId": "u1"}})

    created = body["data"]["createTask"]["id"]
    assert body["extensions"] == {"invalidation": [task(created), user("u1")]}


async def test_create_task_without_an_assignee_names_the_task_alone(tasks: GraphQLClient) -> None:
    body = await tasks.execute(CREATE_TASK, {"input": {"title": "Ship"}})

    assert body["extensions"] == {"invalidation": [task(body["data"]["createTask"]["id"])]}


async def test_update_task_names_the_old_and_the_new_assignee(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Move me", assigneeId="u1")

    named = await invalidation(
        tasks, UPDATE_TASK, {"id": created["id"], "input": {"assigneeId": "u2"}}
    )

    assert named == [task(created["id"]), user("u1"), user("u2")]


async def test_update_task_names_its_assignee_once_when_it_stays(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Rename me", assigneeId="u1")

    named = await invalidation(tasks, UPDATE_TASK, {"id": created["id"], "input": {"title": "New"}})

    # The title shows in u1's `tasks`, so u1 is named even though the assignee stays.
    assert named == [task(created["id"]), user("u1")]


async def test_update_task_that_assigns_or_unassigns_names_the_one_assignee(
    tasks: GraphQLClient,
) -> None:
    unassigned = await create_task(tasks, title="Nobody's")
    assigned = await create_task(tasks, title="u1's", assigneeId="u1")

    assigning = await invalidation(
        tasks, UPDATE_TASK, {"id": unassigned["id"], "input": {"assigneeId": "u2"}}
    )
    unassigning = await invalidation(
        tasks, UPDATE_TASK, {"id": assigned["id"], "input": {"assigneeId": None}}
    )

    assert assigning == [task(unassigned["id"]), user("u2")]
    assert unassigning == [task(assigned["id"]), user("u1")]


async def test_delete_task_names_the_task_and_its_assignee(tasks: GraphQLClient) -> None:
    assigned = await create_task(tasks, title="u1's", assigneeId="u1")
    unassigned = await create_task(tasks, title="Nobody's")

    body = await tasks.execute(DELETE_TASK, {"id": assigned["id"]})
    alone = await invalidation(tasks, DELETE_TASK, {"id": unassigned["id"]})

    assert body == {
        "data": {"deleteTask": True},
        "extensions": {"invalidation": [task(assigned["id"]), user("u1")]},
    }
    assert alone == [task(unassigned["id"])]


async def test_several_mutations_name_each_entity_once_in_the_order_changed(
    tasks: GraphQLClient,
) -> None:
    first = await create_task(tasks, title="First", assigneeId="u1")
    second = await create_task(tasks, title="Second", assigneeId="u2")

    named = await invalidation(
        tasks,
        """
        mutation($first: ID!, $second: ID!) {
          a: updateTask(id: $second, input: {assigneeId: "u1"}) { id }
          b: updateTask(id: $first, input: {status: DONE}) { id }
          c: deleteTask(id: $second)
        }
        """,
        {"first": first["id"], "second": second["id"]},
    )

    assert named == [task(second["id"]), user("u2"), user("u1"), task(first["id"])]


async def test_queries_name_nothing(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Read me", assigneeId="u1")
    entities = """
    query($r: [_Any!]!) {
      _entities(representations: $r) { ... on Task { title } ... on User { taskCount } }
    }
    """

    for query, variables in [
        (TASK_QUERY, {"id": created["id"]}),
        (TASK_PAGE, {"filter": {"assigneeId": "u1"}}),
        (entities, {"r": [{"__typename": "Task", "id": created["id"]}]}),
        (entities, {"r": [{"__typename": "User", "id": "u1"}]}),
    ]:
        body = await tasks.execute(query, variables)
        assert "errors" not in body
        assert "extensions" not in body, query


async def test_a_failed_mutation_that_changed_nothing_names_nothing(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Stay", assigneeId="u1")
    missing = "00000000-0000-0000-0000-000000000000"
    failures = [
        (CREATE_TASK, {"input": {"title": " ", "assigneeId": "u1"}}),  # BAD_USER_INPUT
        (CREATE_TASK, {"input": {"title": "t", "assigneeId": "u" * 65}}),  # BAD_USER_INPUT
        (UPDATE_TASK, {"id": created["id"], "input": {"title": None}}),  # BAD_USER_INPUT
        (UPDATE_TASK, {"id": missing, "input": {"assigneeId": "u2"}}),  # NOT_FOUND
        (DELETE_TASK, {"id": missing}),  # NOT_FOUND
        ("mutation { deleteTask }", None),  # GRAPHQL_VALIDATION_FAILED
    ]

    for query, variables in failures:
        body = await tasks.execute(query, variables)
        assert body["errors"], query
        assert "extensions" not in body, body


async def test_a_mutation_after_a_failed_one_still_names_what_changed_before_it(
    tasks: GraphQLClient,
) -> None:
    created = await create_task(tasks, title="Gone", assigneeId="u1")

    body = await tasks.execute(
        """
        mutation($id: ID!) {
          deleted: deleteTask(id: $id)
          again: deleteTask(id: $id)
        }
        """,
        {"id": created["id"]},
    )

    # The second field failed (and nulled the data), but the first one was committed.
    assert [error["extensions"]["code"] for error in body["errors"]] == ["NOT_FOUND"]
    assert body["extensions"] == {"invalidation": [task(created["id"]), user("u1")]}
