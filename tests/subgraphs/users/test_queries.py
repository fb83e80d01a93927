"""Reading users: `user(id)`, `users(...)`, and the service's health endpoints."""

from __future__ import annotations

from fastapi import FastAPI

from tests.subgraphs.users.support import USERS_PAGE, create_user, create_users, get_user
from tests.support.graphql import GraphQLClient


async def test_user_returns_a_stored_user_and_null_for_an_unknown_id(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada Lovelace", "ada@example.com", role="ADMIN")

    assert await get_user(users, ada["id"]) == ada
    assert await users.execute('{ user(id: "no-such-user") { id } }') == {"data": {"user": None}}


async def test_users_lists_every_user_oldest_first_with_cursors_and_total(
    users: GraphQLClient,
) -> None:
    created = await create_users(users, 3)

    page = (await users.data(USERS_PAGE))["users"]

    assert [edge["node"] for edge in page["edges"]] == created
    assert page["totalCount"] == 3
    assert page["pageInfo"] == {"hasNextPage": False, "endCursor": page["edges"][-1]["cursor"]}
    cursors = [edge["cursor"] for edge in page["edges"]]
    assert all(isinstance(cursor, str) and cursor for cursor in cursors)
    assert len(set(cursors)) == 3


async def test_one_request_can_read_a_user_and_the_list(users: GraphQLClient) -> None:
    ada = await create_user(users)

    data = await users.data(
        """
        query($id: ID!) {
          user(id: $id) { name }
          users { totalCount edges { node { id name } } }
        }
        """,
        {"id": ada["id"]},
    )

    assert data == {
        "user": {"name": "Ada Lovelace"},
        "users": {"totalCount": 1, "edges": [{"node": {"id": ada["id"], "name": "Ada Lovelace"}}]},
    }


async def test_health_and_readiness(users_app: tuple[FastAPI, GraphQLClient]) -> None:
    _, client = users_app

    health = await client.http.get("/health")
    ready = await client.http.get("/ready")

    assert health.status_code == 200
    assert health.json() == {"status": "ok", "service": "users"}
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
