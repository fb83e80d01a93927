"""Errors a client can act on: each has a stable `extensions.code` and names what was wrong.

`expect_error` also checks that an error carries nothing internal (no stack trace, no
exception), and the client checks that every response is an HTTP 200.
"""

from __future__ import annotations

import pytest

from tests.subgraphs.users.support import (
    CREATE_USER,
    DELETE_USER,
    GET_USER,
    UPDATE_USER,
    create_user,
    expect_error,
    get_user,
    users_page,
)
from tests.support.graphql import GraphQLClient

# --- values the resolvers reject ----------------------------------------------------------


async def test_an_invalid_email_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    ada = await create_user(users)

    for email in ["nope", "ada@", "@example.com", "ada lovelace@example.com", "a@@b.org", ""]:
        with subtests.test(mutation="createUser", email=email):
            await expect_error(
                users,
                CREATE_USER,
                {"input": {"name": "Grace", "email": email}},
                code="BAD_USER_INPUT",
                mentions=("`email`", "not a valid email address"),
            )
        with subtests.test(mutation="updateUser", email=email):
            await expect_error(
                users,
                UPDATE_USER,
                {"id": ada["id"], "input": {"email": email}},
                code="BAD_USER_INPUT",
                mentions=("`email`", "not a valid email address"),
            )

    page = await users_page(users)
    assert [edge["node"] for edge in page["edges"]] == [ada]


async def test_an_empty_or_too_long_name_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    ada = await create_user(users)

    for name, mentions in [
        ("", ("`name`", "must not be empty")),
        ("   ", ("`name`", "must not be empty")),
        ("\t\n", ("`name`", "must not be empty")),
        ("x" * 201, ("`name`", "at most 200 characters", "201")),
    ]:
        with subtests.test(mutation="createUser", name=name):
            await expect_error(
                users,
                CREATE_USER,
                {"input": {"name": name, "email": "grace@example.com"}},
                code="BAD_USER_INPUT",
                mentions=mentions,
            )
        with subtests.test(mutation="updateUser", name=name):
            await expect_error(
                users,
                UPDATE_USER,
                {"id": ada["id"], "input": {"name": name}},
                code="BAD_USER_INPUT",
                mentions=mentions,
            )

    page = await users_page(users)
    assert [edge["node"] for edge in page["edges"]] == [ada]


async def test_update_user_setting_a_required_field_to_null_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    ada = await create_user(users)

    for field in ["name", "email", "role"]:
        with subtests.test(field=field):
            await expect_error(
                users,
                UPDATE_USER,
                {"id": ada["id"], "input": {"name": "Changed", field: None}},
                code="BAD_USER_INPUT",
                mentions=(f"`{field}`", "cannot be set to null"),
            )

    assert await get_user(users, ada["id"]) == ada


# --- values the schema rejects ------------------------------------------------------------


async def test_a_value_that_does_not_fit_the_schema_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    ada = await create_user(users)

    with subtests.test("unknown enum value as a literal"):
        await expect_error(
            users,
            'mutation { createUser(input: {name: "Grace", email: "grace@example.com", '
            "role: OWNER}) { id } }",
            code="BAD_USER_INPUT",
            mentions=("OWNER", "Role"),
        )
    with subtests.test("unknown enum value in a variable"):
        await expect_error(
            users,
            CREATE_USER,
            {"input": {"name": "Grace", "email": "grace@example.com", "role": "OWNER"}},
            code="BAD_USER_INPUT",
            mentions=("$input", "role", "OWNER"),
        )
    with subtests.test("unknown enum value in an update"):
        await expect_error(
            users,
            UPDATE_USER,
            {"id": ada["id"], "input": {"role": "SUPERUSER"}},
            code="BAD_USER_INPUT",
            mentions=("role", "SUPERUSER"),
        )
    with subtests.test("missing required input field"):
        await expect_error(
            users,
            'mutation { createUser(input: {name: "Grace"}) { id } }',
            code="BAD_USER_INPUT",
            mentions=("email",),
        )
    with subtests.test("missing required variable"):
        await expect_error(users, GET_USER, {}, code="BAD_USER_INPUT", mentions=("$id",))
    with subtests.test("variable of the wrong type"):
        await expect_error(
            users,
            "query($first: Int) { users(first: $first) { totalCount } }",
            {"first": "twenty"},
            code="BAD_USER_INPUT",
            mentions=("$first", "Int"),
        )

    page = await users_page(users)
    assert [edge["node"] for edge in page["edges"]] == [ada]


# --- unknown ids and conflicts ------------------------------------------------------------


async def test_updating_or_deleting_an_unknown_user_is_not_found(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    with subtests.test(mutation="updateUser"):
        await expect_error(
            users,
            UPDATE_USER,
            {"id": "no-such-user", "input": {"name": "Ada"}},
            code="NOT_FOUND",
            mentions=("id", "no-such-user"),
        )
    with subtests.test(mutation="deleteUser"):
        await expect_error(
            users,
            DELETE_USER,
            {"id": "no-such-user"},
            code="NOT_FOUND",
            mentions=("id", "no-such-user"),
        )
    with subtests.test("deleteUser twice"):
        ada = await create_user(users)
        await users.data(DELETE_USER, {"id": ada["id"]})
        await expect_error(
            users, DELETE_USER, {"id": ada["id"]}, code="NOT_FOUND", mentions=(ada["id"],)
        )
    assert (await users_page(users))["totalCount"] == 0


async def test_creating_a_user_with_a_taken_email_is_a_conflict(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com")

    for email in ["ada@example.com", "ADA@Example.COM", " ada@example.com "]:
        with subtests.test(email=email):
            await expect_error(
                users,
                CREATE_USER,
                {"input": {"name": "Impostor", "email": email}},
                code="CONFLICT",
                mentions=("email", "ada@example.com", "already exists"),
            )

    page = await users_page(users)
    assert [edge["node"] for edge in page["edges"]] == [ada]


async def test_updating_a_user_to_another_users_email_is_a_conflict_and_loses_nothing(
    users: GraphQLClient,
) -> None:
    ada = await create_user(users, "Ada", "ada@example.com", role="ADMIN")
    grace = await create_user(users, "Grace", "grace@example.com")

    await expect_error(
        users,
        UPDATE_USER,
        {"id": grace["id"], "input": {"name": "Grace Hopper", "email": "ADA@example.com"}},
        code="CONFLICT",
        mentions=("email", "ada@example.com", "already exists"),
    )

    # Neither the other user nor the valid half of the failed update was changed.
    assert await get_user(users, ada["id"]) == ada
    assert await get_user(users, grace["id"]) == grace


# --- malformed operations -----------------------------------------------------------------


async def test_malformed_operations_are_rejected_before_running(users: GraphQLClient) -> None:
    await expect_error(
        users, "query { user(id: ", code="GRAPHQL_PARSE_FAILED", mentions=("Syntax Error",)
    )
    await expect_error(
        users,
        '{ user(id: "1") { id nickname } }',
        code="GRAPHQL_VALIDATION_FAILED",
        mentions=("nickname", "User"),
    )
    # The service keeps working after errors.
    ada = await create_user(users)
    assert await get_user(users, ada["id"]) == ada


async def test_an_id_with_a_nul_character_finds_no_user(users: GraphQLClient) -> None:
    # Postgres text cannot hold U+0000, so no stored id can equal it: null, as on SQLite.
    body = await users.execute(GET_USER, {"id": "ada\u0000"})

    assert body == {"data": {"user": None}}


async def test_a_name_with_control_characters_or_only_invisible_ones_is_bad_user_input(
    users: GraphQLClient,
) -> None:
    for name, mention in [("a\u0000b", "control characters"), ("\u200b", "must not be empty")]:
        await expect_error(
            users,
            """mutation($name: String!) {
              createUser(input: {name: $name, email: "x@example.com"}) { id }
            }""",
            {"name": name},
            code="BAD_USER_INPUT",
            mentions=("`name`", mention),
        )
