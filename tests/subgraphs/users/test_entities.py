"""Federation: the SDL the router composes, and entity references resolved by `_entities`."""

from __future__ import annotations

from pathlib import Path

from tests.subgraphs.users.support import DELETE_USER, create_user
from tests.support.graphql import GraphQLClient

PUBLIC_SDL = Path(__file__).parents[3] / "schema" / "users.graphql"

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name email } }
}
"""

TASK_TYPE = 'type Task @cacheControl(maxAge: 60) @key(fields: "id")'
USER_TYPE = 'type User @cacheControl(maxAge: 60) @key(fields: "id")'


def reference(user_id: str) -> dict[str, str]:
    return {"__typename": "User", "id": user_id}


async def test_the_sdl_declares_federation_v2_7_the_user_key_and_shareable_page_info(
    users: GraphQLClient,
) -> None:
    sdl = (await users.data("{ _service { sdl } }"))["_service"]["sdl"]

    assert 'schema @link(url: "https://specs.apollo.dev/federation/v2.7"' in sdl
    assert USER_TYPE in sdl
    assert "type PageInfo @cacheControl(inheritMaxAge: true) @shareable" in sdl
    assert sdl.strip() == PUBLIC_SDL.read_text().strip(), "schema/users.graphql is stale"


async def test_entities_resolve_in_the_order_of_the_representations(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    grace = await create_user(users, "Grace", "grace@example.com")
    representations = [
        reference(grace["id"]),
        reference("no-such-user"),
        reference(ada["id"]),
        reference(grace["id"]),
    ]

    body = await users.execute(ENTITIES, {"representations": representations})

    assert body == {
        "data": {
            "_entities": [
                {"id": grace["id"], "name": "Grace", "email": "grace@example.com"},
                None,
                {"id": ada["id"], "name": "Ada", "email": "ada@example.com"},
                {"id": grace["id"], "name": "Grace", "email": "grace@example.com"},
            ]
        }
    }
    assert await users.data(ENTITIES, {"representations": []}) == {"_entities": []}


async def test_an_entity_has_every_user_field_and_is_null_once_deleted(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, role="ADMIN")
    query = """
    query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename ... on User { id name email role createdAt }
      }
    }
    """

    found = await users.data(query, {"representations": [reference(ada["id"])]})
    await users.data(DELETE_USER, {"id": ada["id"]})
    gone = await users.execute(query, {"representations": [reference(ada["id"])]})

    assert found == {"_entities": [{"__typename": "User", **ada}]}
    assert gone == {"data": {"_entities": [None]}}


TASK_ASSIGNEES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename ... on Task { id assignee { id name email } }
  }
}
"""


def task(task_id: str, assignee_id: str | None) -> dict[str, str | None]:
    """A Task representation as the router sends it: its key and the @requires field."""
    return {"__typename": "Task", "id": task_id, "assigneeId": assignee_id}


async def test_the_sdl_resolves_task_assignee_from_the_stored_id(users: GraphQLClient) -> None:
    sdl = (await users.data("{ _service { sdl } }"))["_service"]["sdl"]

    task_type = sdl.split(TASK_TYPE, 1)[1].split("}", 1)[0]
    assert "assigneeId: ID @external" in task_type
    assert 'assignee: User @requires(fields: "assigneeId")' in task_type
    assert "union _Entity = Task | User" in sdl


async def test_task_assignees_resolve_to_the_user_and_to_null_when_there_is_none(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    gone = await create_user(users, "Gone", "gone@example.com")
    await users.data(DELETE_USER, {"id": gone["id"]})
    representations = [
        task("t-existing", ada["id"]),
        task("t-deleted", gone["id"]),
        task("t-unknown", "no-such-user"),
        task("t-unassigned", None),
        task("t-nul", "u\x00"),
    ]

    body = await users.execute(TASK_ASSIGNEES, {"representations": representations})

    assert body == {
        "data": {
            "_entities": [
                {
                    "__typename": "Task",
                    "id": "t-existing",
                    "assignee": {"id": ada["id"], "name": "Ada", "email": "ada@example.com"},
                },
                {"__typename": "Task", "id": "t-deleted", "assignee": None},
                {"__typename": "Task", "id": "t-unknown", "assignee": None},
                {"__typename": "Task", "id": "t-unassigned", "assignee": None},
                {"__typename": "Task", "id": "t-nul", "assignee": None},
            ]
        }
    }


async def test_a_task_representation_without_its_assignee_id_is_bad_user_input(
    users: GraphQLClient,
) -> None:
    body = await users.execute(
        TASK_ASSIGNEES, {"representations": [{"__typename": "Task", "id": "t1"}]}
    )

    assert body["data"] == {"_entities": [None]}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "do not match its @key" in error["message"]
