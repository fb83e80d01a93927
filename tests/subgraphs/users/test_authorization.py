"""Who may do what to users, asked of the users subgraph directly (the router's headers)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.subgraphs.users.support import CREATE_USER, DELETE_USER, UPDATE_USER, get_user
from tests.support.auth import as_admin, as_user
from tests.support.graphql import GraphQLClient


@pytest.fixture
def anonymous(users_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    return users_app[1]


async def make_user(anonymous: GraphQLClient, email: str) -> dict[str, Any]:
    admin = anonymous.acting_as(as_admin())
    variables = {"input": {"name": "Ada", "email": email}}
    user: dict[str, Any] = (await admin.data(CREATE_USER, variables))["createUser"]
    return user


async def expect(client: GraphQLClient, query: str, variables: dict[str, Any], code: str) -> str:
    body = await client.execute(query, variables)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code, error
    assert body["data"] is None
    assert "invalidation" not in body.get("extensions", {})
    message: str = error["message"]
    return message


NEW_USER = {"input": {"name": "Bo", "email": "bo@example.com"}}


async def test_only_admins_create_users(anonymous: GraphQLClient) -> None:
    member = anonymous.acting_as(as_user("member-1"))

    assert await expect(anonymous, CREATE_USER, NEW_USER, "UNAUTHENTICATED") == (
        "Sign in to create users."
    )
    assert await expect(member, CREATE_USER, NEW_USER, "FORBIDDEN") == (
        "Only an admin may create users."
    )
    created = await anonymous.acting_as(as_admin()).data(CREATE_USER, NEW_USER)
    assert created["createUser"]["email"] == "bo@example.com"


async def test_users_may_update_and_delete_themselves(anonymous: GraphQLClient) -> None:
    ada = await make_user(anonymous, "ada@example.com")
    herself = anonymous.acting_as(as_user(ada["id"]))

    renamed = await herself.data(UPDATE_USER, {"id": ada["id"], "input": {"name": "Ada L."}})
    deleted = await herself.data(DELETE_USER, {"id": ada["id"]})

    assert renamed["updateUser"]["name"] == "Ada L."
    assert deleted == {"deleteUser": True}


async def test_users_may_not_update_or_delete_others(anonymous: GraphQLClient) -> None:
    ada = await make_user(anonymous, "ada@example.com")
    eve = anonymous.acting_as(as_user("eve"))

    message = await expect(
        eve, UPDATE_USER, {"id": ada["id"], "input": {"name": "Eve"}}, "FORBIDDEN"
    )
    await expect(eve, DELETE_USER, {"id": ada["id"]}, "FORBIDDEN")

    assert message == "Only that user or an admin may change this user."
    assert await get_user(anonymous, ada["id"]) == ada


async def test_only_admins_change_a_role_even_their_own(anonymous: GraphQLClient) -> None:
    ada = await make_user(anonymous, "ada@example.com")
    herself = anonymous.acting_as(as_user(ada["id"]))
    promote = {"id": ada["id"], "input": {"role": "ADMIN"}}

    assert await expect(herself, UPDATE_USER, promote, "FORBIDDEN") == (
        "Only an admin may change a role."
    )
    assert (await get_user(anonymous, ada["id"]) or {})["role"] == "MEMBER"
    promoted = await anonymous.acting_as(as_admin()).data(UPDATE_USER, promote)
    assert promoted["updateUser"]["role"] == "ADMIN"


async def test_admins_update_and_delete_anyone(anonymous: GraphQLClient) -> None:
    ada = await make_user(anonymous, "ada@example.com")
    admin = anonymous.acting_as(as_admin())

    await admin.data(UPDATE_USER, {"id": ada["id"], "input": {"email": "ada@new.example"}})
    await admin.data(DELETE_USER, {"id": ada["id"]})

    assert await get_user(anonymous, ada["id"]) is None


@pytest.mark.parametrize(
    ("query", "variables"),
    [(UPDATE_USER, {"input": {"name": "x"}}), (DELETE_USER, {})],
    ids=["update", "delete"],
)
async def test_anonymous_callers_cannot_update_or_delete(
    anonymous: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    ada = await make_user(anonymous, "ada@example.com")
    await expect(anonymous, query, {"id": ada["id"], **variables}, "UNAUTHENTICATED")
    assert await get_user(anonymous, ada["id"]) == ada
