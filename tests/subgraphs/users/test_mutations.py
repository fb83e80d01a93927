"""Writing users: `createUser`, `updateUser` and `deleteUser`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.subgraphs.users.support import (
    DELETE_USER,
    UPDATE_USER,
    create_user,
    get_user,
    users_page,
)
from tests.support.graphql import GraphQLClient

# --- createUser ---------------------------------------------------------------------------


async def test_create_user_defaults_to_the_member_role(users: GraphQLClient) -> None:
    ada = await create_user(users)

    assert ada["role"] == "MEMBER"
    assert ada["id"]
    assert await get_user(users, ada["id"]) == ada


async def test_create_user_with_an_explicit_admin_role(users: GraphQLClient) -> None:
    grace = await create_user(users, "Grace Hopper", "grace@example.com", role="ADMIN")

    assert grace["role"] == "ADMIN"
    assert (await get_user(users, grace["id"]) or {})["role"] == "ADMIN"


async def test_create_user_stores_the_email_lower_cased(users: GraphQLClient) -> None:
    ada = await create_user(users, email="  Ada.Lovelace@Example.COM ")

    assert ada["email"] == "ada.lovelace@example.com"
    assert (await get_user(users, ada["id"]) or {})["email"] == "ada.lovelace@example.com"


async def test_create_user_trims_the_name(users: GraphQLClient) -> None:
    ada = await create_user(users, name="  Ada Lovelace \t")

    assert ada["name"] == "Ada Lovelace"
    assert (await get_user(users, ada["id"]) or {})["name"] == "Ada Lovelace"


async def test_create_user_accepts_a_name_of_exactly_200_characters(
    users: GraphQLClient,
) -> None:
    user = await create_user(users, name="é" * 200)

    assert user["name"] == "é" * 200


async def test_created_at_is_iso_8601_with_a_time_zone(users: GraphQLClient) -> None:
    before = datetime.now(UTC)
    ada = await create_user(users)
    after = datetime.now(UTC)

    created_at = datetime.fromisoformat(ada["createdAt"])

    assert created_at.tzinfo is not None
    assert created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= created_at <= after + timedelta(seconds=1)


# --- updateUser ---------------------------------------------------------------------------


async def test_update_user_changes_only_the_fields_given(users: GraphQLClient) -> None:
    ada = await create_user(users, "Ada", "ada@example.com", role="ADMIN")

    updated = (
        await users.data(UPDATE_USER, {"id": ada["id"], "input": {"name": "  Ada Lovelace "}})
    )["updateUser"]

    assert updated == {**ada, "name": "Ada Lovelace"}
    assert await get_user(users, ada["id"]) == updated


async def test_update_user_with_no_changes_keeps_the_user(users: GraphQLClient) -> None:
    ada = await create_user(users)

    updated = (await users.data(UPDATE_USER, {"id": ada["id"], "input": {}}))["updateUser"]

    assert updated == ada


async def test_update_user_changes_the_email_lower_cased(users: GraphQLClient) -> None:
    ada = await create_user(users)

    updated = (
        await users.data(UPDATE_USER, {"id": ada["id"], "input": {"email": "Countess@Example.org"}})
    )["updateUser"]

    assert updated == {**ada, "email": "countess@example.org"}
    assert await get_user(users, ada["id"]) == updated


async def test_update_user_may_keep_its_own_email_in_another_case(users: GraphQLClient) -> None:
    ada = await create_user(users, email="ada@example.com")

    updated = (
        await users.data(UPDATE_USER, {"id": ada["id"], "input": {"email": "ADA@example.com"}})
    )["updateUser"]

    assert updated == ada


@pytest.mark.parametrize(("before", "after"), [("MEMBER", "ADMIN"), ("ADMIN", "MEMBER")])
async def test_update_user_changes_the_role(users: GraphQLClient, before: str, after: str) -> None:
    ada = await create_user(users, role=before)

    updated = (await users.data(UPDATE_USER, {"id": ada["id"], "input": {"role": after}}))[
        "updateUser"
    ]

    assert updated == {**ada, "role": after}
    assert await get_user(users, ada["id"]) == updated


async def test_update_user_changes_several_fields_at_once(users: GraphQLClient) -> None:
    ada = await create_user(users)
    changes = {"name": "Augusta Ada King", "email": "augusta@example.com", "role": "ADMIN"}

    updated = (await users.data(UPDATE_USER, {"id": ada["id"], "input": changes}))["updateUser"]

    assert updated == {**ada, **changes}
    assert updated["createdAt"] == ada["createdAt"]


# --- deleteUser ---------------------------------------------------------------------------


async def test_delete_user_returns_true_and_the_user_is_gone(users: GraphQLClient) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    grace = await create_user(users, "Grace", "grace@example.com")

    assert await users.data(DELETE_USER, {"id": ada["id"]}) == {"deleteUser": True}

    assert await get_user(users, ada["id"]) is None
    page = await users_page(users)
    assert [edge["node"] for edge in page["edges"]] == [grace]
    assert page["totalCount"] == 1


async def test_a_deleted_users_email_can_be_used_again(users: GraphQLClient) -> None:
    ada = await create_user(users, email="ada@example.com")
    await users.data(DELETE_USER, {"id": ada["id"]})

    again = await create_user(users, email="ADA@example.com")

    assert again["email"] == "ada@example.com"
    assert again["id"] != ada["id"]
