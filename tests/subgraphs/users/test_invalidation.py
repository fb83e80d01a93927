"""`extensions.invalidation` of the users subgraph: each mutation names the user it changed.

See docs/cache-invalidation.md. Queries and mutations that changed nothing carry no
`extensions` at all.
"""

from __future__ import annotations

from typing import Any

from tests.subgraphs.users.support import (
    CREATE_USER,
    DELETE_USER,
    GET_USER,
    UPDATE_USER,
    USERS_PAGE,
    create_user,
)
from tests.support.graphql import GraphQLClient


def user(user_id: str) -> dict[str, Any]:
    return {"kind": "entity", "type": "User", "key": {"id": user_id}}


async def test_create_user_names_the_new_user(users: GraphQLClient) -> None:
    body = await users.execute(CREATE_USER, {"input": {"name": "Ada", "email": "ada@example.com"}})

    assert "errors" not in body
    assert body["extensions"] == {"invalidation": [user(body["data"]["createUser"]["id"])]}


async def test_update_user_names_the_user(users: GraphQLClient) -> None:
    ada = await create_user(users)

    body = await users.execute(UPDATE_USER, {"id": ada["id"], "input": {"name": "Ada L."}})

    assert "errors" not in body
    assert body["extensions"] == {"invalidation": [user(ada["id"])]}


async def test_delete_user_names_the_user(users: GraphQLClient) -> None:
    ada = await create_user(users)

    body = await users.execute(DELETE_USER, {"id": ada["id"]})

    assert body == {"data": {"deleteUser": True}, "extensions": {"invalidation": [user(ada["id"])]}}


async def test_several_mutations_name_each_user_once_in_the_order_changed(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    grace = await create_user(users, "Grace", "grace@example.com")

    body = await users.execute(
        """
        mutation($ada: ID!, $grace: ID!) {
          a: updateUser(id: $grace, input: {role: ADMIN}) { id }
          b: updateUser(id: $ada, input: {name: "Ada L."}) { id }
          c: deleteUser(id: $grace)
        }
        """,
        {"ada": ada["id"], "grace": grace["id"]},
    )

    assert "errors" not in body
    assert body["extensions"] == {"invalidation": [user(grace["id"]), user(ada["id"])]}


async def test_queries_name_nothing(users: GraphQLClient) -> None:
    ada = await create_user(users)
    entities = """
    query($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on User { name } ... on Task { assignee { name } }
      }
    }
    """

    for query, variables in [
        (GET_USER, {"id": ada["id"]}),
        (USERS_PAGE, {}),
        (
            entities,
            {
                "r": [
                    {"__typename": "User", "id": ada["id"]},
                    {"__typename": "Task", "id": "t1", "assigneeId": ada["id"]},
                ]
            },
        ),
    ]:
        body = await users.execute(query, variables)
        assert "errors" not in body
        assert "extensions" not in body, query


async def test_a_failed_mutation_that_changed_nothing_names_nothing(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    await create_user(users, "Grace", "grace@example.com")
    failures = [
        (CREATE_USER, {"input": {"name": "Ada 2", "email": "ADA@example.com"}}),  # CONFLICT
        (CREATE_USER, {"input": {"name": " ", "email": "x@example.com"}}),  # BAD_USER_INPUT
        (UPDATE_USER, {"id": ada["id"], "input": {"email": "grace@example.com"}}),  # CONFLICT
        (UPDATE_USER, {"id": "no-such-user", "input": {"name": "X"}}),  # NOT_FOUND
        (DELETE_USER, {"id": "no-such-user"}),  # NOT_FOUND
        ("mutation { deleteUser(id: 5, extra: 1) }", None),  # GRAPHQL_VALIDATION_FAILED
    ]

    for query, variables in failures:
        body = await users.execute(query, variables)
        assert body["errors"], query
        assert "extensions" not in body, body


async def test_a_mutation_after_a_failed_one_still_names_what_changed_before_it(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users)

    body = await users.execute(
        """
        mutation($ada: ID!) {
          renamed: updateUser(id: $ada, input: {name: "Ada L."}) { id }
          missing: deleteUser(id: "no-such-user")
        }
        """,
        {"ada": ada["id"]},
    )

    # The second field failed (and nulled the data), but the first one was committed.
    assert [error["extensions"]["code"] for error in body["errors"]] == ["NOT_FOUND"]
    assert body["extensions"] == {"invalidation": [user(ada["id"])]}
