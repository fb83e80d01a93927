"""Revoked privileges stop at once: role decisions read the caller's current row, and only
signed-in callers read emails and roles."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.subgraphs.users.support import CREATE_USER, DELETE_USER, UPDATE_USER
from tests.support.auth import as_admin, as_user
from tests.support.graphql import GraphQLClient

PROMOTE = {"input": {"role": "ADMIN"}}


@pytest.fixture
def anonymous(users_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    return users_app[1]


async def admin_named(anonymous: GraphQLClient, email: str) -> dict[str, Any]:
    """A stored user with the ADMIN role (made by the tests' admin)."""
    admin = anonymous.acting_as(as_admin())
    variables = {"input": {"name": "Ada", "email": email, "role": "ADMIN"}}
    user: dict[str, Any] = (await admin.data(CREATE_USER, variables))["createUser"]
    return user


def code_of(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


async def test_a_demoted_admins_token_no_longer_acts_as_admin(anonymous: GraphQLClient) -> None:
    ada = await admin_named(anonymous, "ada@example.com")
    # Her token still says admin, as it did when it was signed.
    her_token = anonymous.acting_as(as_user(ada["id"], "member", "admin"))
    first = await her_token.data(CREATE_USER, {"input": {"name": "B", "email": "b@x.io"}})
    assert first["createUser"]["email"] == "b@x.io"
    demote = {"id": ada["id"], "input": {"role": "MEMBER"}}
    await anonymous.acting_as(as_admin()).data(UPDATE_USER, demote)

    refused = await her_token.execute(CREATE_USER, {"input": {"name": "C", "email": "c@x.io"}})
    assert code_of(refused) == "FORBIDDEN"


async def test_a_deleted_admins_token_acts_for_nobody(anonymous: GraphQLClient) -> None:
    ada = await admin_named(anonymous, "ada@example.com")
    bo = await admin_named(anonymous, "bo@example.com")
    her_token = anonymous.acting_as(as_user(ada["id"], "member", "admin"))
    await anonymous.acting_as(as_admin()).data(DELETE_USER, {"id": ada["id"]})

    created = await her_token.execute(CREATE_USER, {"input": {"name": "C", "email": "c@x.io"}})
    assert code_of(created) == "UNAUTHENTICATED"
    promoted = await her_token.execute(UPDATE_USER, {"id": bo["id"], **PROMOTE})
    assert code_of(promoted) == "UNAUTHENTICATED"
    assert code_of(await her_token.execute(DELETE_USER, {"id": bo["id"]})) == "UNAUTHENTICATED"


async def test_a_promoted_member_acts_as_admin_with_their_old_token(
    anonymous: GraphQLClient,
) -> None:
    admin = anonymous.acting_as(as_admin())
    variables = {"input": {"name": "Bo", "email": "bo@example.com"}}
    bo = (await admin.data(CREATE_USER, variables))["createUser"]
    await admin.data(UPDATE_USER, {"id": bo["id"], **PROMOTE})
    old_token = anonymous.acting_as(as_user(bo["id"]))
    created = await old_token.data(CREATE_USER, {"input": {"name": "C", "email": "c@x.io"}})
    assert created["createUser"]["email"] == "c@x.io"


async def test_only_signed_in_callers_read_emails_and_roles(anonymous: GraphQLClient) -> None:
    ada = await admin_named(anonymous, "ada@example.com")
    query = "query($id: ID!) { user(id: $id) { name email role } }"
    refused = await anonymous.execute(query, {"id": ada["id"]})
    assert {e["extensions"]["code"] for e in refused["errors"]} == {"UNAUTHENTICATED"}
    assert refused["data"] == {"user": None}
    public = await anonymous.data(
        "query($id: ID!) { user(id: $id) { id name } }", {"id": ada["id"]}
    )
    assert public == {"user": {"id": ada["id"], "name": "Ada"}}
    signed_in = await anonymous.acting_as(as_user("someone")).data(query, {"id": ada["id"]})
    assert signed_in == {"user": {"name": "Ada", "email": "ada@example.com", "role": "ADMIN"}}


async def test_emails_and_roles_are_private_to_the_caller(anonymous: GraphQLClient) -> None:
    ada = await admin_named(anonymous, "ada@example.com")
    query = {"query": "query($id: ID!) { user(id: $id) { email } }", "variables": ada}
    headers = as_user("someone")
    response = await anonymous.http.post("/graphql", json=query, headers=headers)
    assert response.json() == {"data": {"user": {"email": "ada@example.com"}}}
    assert response.headers["cache-control"] == "max-age=60, private"
