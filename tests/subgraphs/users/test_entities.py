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


def user_reference(user_id: str) -> dict[str, str]:
    return {"__typename": "User", "id": user_id}


async def test_the_sdl_declares_federation_v2_7_and_the_user_key(users: GraphQLClient) -> None:
    sdl = (await users.data("{ _service { sdl } }"))["_service"]["sdl"]

    assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "type PageInfo @shareable" in sdl


async def test_the_sdl_is_the_published_schema_file(users: GraphQLClient) -> None:
    sdl = (await users.data("{ _service { sdl } }"))["_service"]["sdl"]

    assert sdl.strip() == PUBLIC_SDL.read_text().strip(), (
        "schema/users.graphql is stale; re-export it"
    )


async def test_entities_resolve_in_the_order_of_the_representations(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    grace = await create_user(users, "Grace", "grace@example.com")

    body = await users.execute(
        ENTITIES,
        {
            "representations": [
                user_reference(grace["id"]),
                user_reference("no-such-user"),
                user_reference(ada["id"]),
                user_reference(grace["id"]),
            ]
        },
    )

    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": grace["id"], "name": "Grace", "email": "grace@example.com"},
        None,
        {"id": ada["id"], "name": "Ada", "email": "ada@example.com"},
        {"id": grace["id"], "name": "Grace", "email": "grace@example.com"},
    ]


async def test_no_representations_resolve_to_no_entities(users: GraphQLClient) -> None:
    assert await users.data(ENTITIES, {"representations": []}) == {"_entities": []}


async def test_a_deleted_user_resolves_to_null(users: GraphQLClient) -> None:
    ada = await create_user(users)
    await users.data(DELETE_USER, {"id": ada["id"]})

    body = await users.execute(ENTITIES, {"representations": [user_reference(ada["id"])]})

    assert body == {"data": {"_entities": [None]}}


async def test_an_entity_exposes_every_user_field(users: GraphQLClient) -> None:
    ada = await create_user(users, role="ADMIN")

    data = await users.data(
        """
        query($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename ... on User { id name email role createdAt }
          }
        }
        """,
        {"representations": [user_reference(ada["id"])]},
    )

    assert data == {"_entities": [{"__typename": "User", **ada}]}
