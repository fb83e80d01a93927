"""Writing users: `createUser`, `updateUser` and `deleteUser`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.subgraphs.users.support import (
    DELETE_USER,
    UPDATE_USER,
    create_user,
    get_user,
    users_page,
)
from tests.support.graphql import GraphQLClient

# --- createUser ---------------------------------------------------------------------------


async def test_create_user_defaults_to_member_and_takes_an_explicit_admin_role(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")
    grace = await create_user(users, "Grace", "grace@example.com", role="ADMIN")

    assert ada["role"] == "MEMBER"
    assert grace["role"] == "ADMIN"
    assert ada["id"] != grace["id"]
    assert await get_user(users, ada["id"]) == ada
    assert await get_user(users, grace["id"]) == grace


async def test_create_user_lower_cases_the_email_and_trims_the_name(users: GraphQLClient) -> None:
    ada = await create_user(users, name="  Ada Lovelace \t", email="  Ada.Lovelace@Example.COM ")

    assert ada["name"] == "Ada Lovelace"
    assert ada["email"] == "ada.lovelace@example.com"
    assert await get_user(users, ada["id"]) == ada


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


async def update(users: GraphQLClient, user_id: str, **changes: object) -> dict[str, object]:
    data = await users.data(UPDATE_USER, {"id": user_id, "input": changes})
    updated: dict[str, object] = data["updateUser"]
    return updated


async def test_update_user_changes_only_the_fields_given(users: GraphQLClient) -> None:
    ada = await create_user(users, "Ada", "ada@example.com", role="ADMIN")

    assert await update(users, ada["id"]) == ada
    renamed = await update(users, ada["id"], name="  Ada Lovelace ")

    assert renamed == {**ada, "name": "Ada Lovelace"}
    assert await get_user(users, ada["id"]) == renamed


async def test_update_user_changes_the_email_lower_cased(users: GraphQLClient) -> None:
    ada = await create_user(users, email="ada@example.com")

    # The user's own address in another case is not a conflict.
    assert await update(users, ada["id"], email="ADA@example.com") == ada
    moved = await update(users, ada["id"], email="Countess@Example.org")

    assert moved == {**ada, "email": "countess@example.org"}
    assert await get_user(users, ada["id"]) == moved


async def test_update_user_changes_the_role_both_ways(users: GraphQLClient) -> None:
    ada = await create_user(users)

    promoted = await update(users, ada["id"], role="ADMIN")
    assert promoted == {**ada, "role": "ADMIN"}
    assert await get_user(users, ada["id"]) == promoted

    demoted = await update(users, ada["id"], role="MEMBER")
    assert demoted == ada


async def test_update_user_changes_several_fields_at_once(users: GraphQLClient) -> None:
    ada = await create_user(users)
    changes = {"name": "Augusta Ada King", "email": "augusta@example.com", "role": "ADMIN"}

    updated = await update(users, ada["id"], **changes)

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

    # The address is free again.
    again = await create_user(users, email="ADA@example.com")
    assert again["email"] == "ada@example.com"
    assert again["id"] != ada["id"]
