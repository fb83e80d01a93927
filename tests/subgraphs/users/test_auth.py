"""signUp, login and me on the users subgraph, on SQLite and Postgres."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jwt
import pytest

from subgraphs.common.settings import TasksSettings, UsersSettings
from subgraphs.seed import DEMO_PASSWORD, seed
from subgraphs.users.tokens import TokenIssuer
from tests.subgraphs.users.support import CREATE_USER, expect_error
from tests.support.apps import serve_in_process
from tests.support.auth import JWT_SECRET, as_admin, as_user
from tests.support.graphql import GraphQLClient

PASSWORD = "correct horse battery staple"
SIGN_UP = """
mutation($input: SignUpInput!) { signUp(input: $input) { token user { id name email role } } }
"""
LOGIN = """
mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { id email role } }
}
"""
ME = "{ me { id name email } }"


async def sign_up(
    users: GraphQLClient, email: str = "ada@example.com", password: str = PASSWORD
) -> dict[str, Any]:
    variables = {"input": {"name": "Ada", "email": email, "password": password}}
    payload: dict[str, Any] = (await users.data(SIGN_UP, variables))["signUp"]
    return payload


def claims_of(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], issuer="fedtasks")
    return decoded


async def test_sign_up_creates_a_member_and_signs_a_token(users: GraphQLClient) -> None:
    payload = await sign_up(users)

    user = payload["user"]
    assert (user["name"], user["email"], user["role"]) == ("Ada", "ada@example.com", "MEMBER")
    claims = claims_of(payload["token"])
    assert claims["sub"] == user["id"]
    assert claims["scope"] == "member"
    assert claims["exp"] - claims["iat"] == 3600


async def test_sign_up_names_the_new_user_for_the_router_cache(users: GraphQLClient) -> None:
    variables = {"input": {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}}
    body = await users.execute(SIGN_UP, variables)
    user_id = body["data"]["signUp"]["user"]["id"]
    assert body["extensions"]["invalidation"] == [
        {"kind": "entity", "type": "User", "key": {"id": user_id}}
    ]


async def test_login_with_the_right_password_signs_a_token(users: GraphQLClient) -> None:
    created = await sign_up(users, email="Ada@Example.com")

    body = await users.execute(LOGIN, {"email": "ADA@example.com ", "password": PASSWORD})

    payload = body["data"]["login"]
    assert payload["user"]["id"] == created["user"]["id"]
    assert claims_of(payload["token"])["sub"] == created["user"]["id"]
    assert "extensions" not in body or "invalidation" not in body["extensions"]


async def test_an_admin_gets_the_admin_scope(users: GraphQLClient) -> None:
    created = await sign_up(users)
    await users.acting_as(as_admin()).data(
        "mutation($id: ID!) { updateUser(id: $id, input: {role: ADMIN}) { role } }",
        {"id": created["user"]["id"]},
    )

    payload = await users.data(LOGIN, {"email": "ada@example.com", "password": PASSWORD})
    assert claims_of(payload["login"]["token"])["scope"] == "member admin"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.com", "wrong password"),
        ("nobody@example.com", PASSWORD),
        ("not an email", PASSWORD),
        ("ada@example.com", PASSWORD + "x" * 300),
    ],
    ids=["wrong password", "unknown email", "malformed email", "overlong password"],
)
async def test_a_failed_login_says_the_same_for_every_reason(
    users: GraphQLClient, email: str, password: str
) -> None:
    await sign_up(users)

    error = await expect_error(
        users, LOGIN, {"email": email, "password": password}, code="UNAUTHENTICATED"
    )

    assert error["message"] == "Wrong email or password."
    assert password not in str(error)


async def test_a_user_without_a_password_cannot_log_in(users: GraphQLClient) -> None:
    await users.acting_as(as_admin()).data(
        CREATE_USER, {"input": {"name": "Bo", "email": "bo@example.com"}}
    )
    await expect_error(
        users, LOGIN, {"email": "bo@example.com", "password": PASSWORD}, code="UNAUTHENTICATED"
    )


@pytest.mark.parametrize(
    "password", ["short12", "x" * 257, " " * 10], ids=["too short", "too long", "blank"]
)
async def test_the_password_policy_is_bad_user_input(users: GraphQLClient, password: str) -> None:
    variables = {"input": {"name": "Ada", "email": "ada@example.com", "password": password}}
    error = await expect_error(users, SIGN_UP, variables, code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "password"
    assert password.strip() not in error["message"] or not password.strip()
    assert (await users.data("{ users { totalCount } }"))["users"]["totalCount"] == 0


async def test_sign_up_with_a_taken_email_is_a_conflict(users: GraphQLClient) -> None:
    await sign_up(users)
    variables = {"input": {"name": "Eve", "email": "ADA@example.com", "password": PASSWORD}}
    await expect_error(users, SIGN_UP, variables, code="CONFLICT")


async def test_without_a_jwt_secret_sign_in_is_not_configured(users_url: str) -> None:
    async with serve_in_process("users", users_url, jwt_secret=None) as (_, http):
        users = GraphQLClient(http)
        variables = {"input": {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}}
        error = await expect_error(users, SIGN_UP, variables, code="AUTH_NOT_CONFIGURED")
        assert "FEDTASKS_JWT_SECRET" in error["message"]
        login = {"email": "ada@example.com", "password": PASSWORD}
        await expect_error(users, LOGIN, login, code="AUTH_NOT_CONFIGURED")
        assert (await users.data("{ users { totalCount } }"))["users"]["totalCount"] == 0


async def test_me_is_the_caller(users: GraphQLClient) -> None:
    created = (await sign_up(users))["user"]

    me = await users.acting_as(as_user(created["id"])).data(ME)

    assert me == {"me": {"id": created["id"], "name": "Ada", "email": "ada@example.com"}}


async def test_me_is_null_when_anonymous_or_gone(users: GraphQLClient) -> None:
    assert await GraphQLClient(users.http).data(ME) == {"me": None}
    assert await users.acting_as(as_user("no-such-user")).data(ME) == {"me": None}


async def test_no_password_field_is_in_the_schema(users: GraphQLClient) -> None:
    sdl = (await users.data("{ _service { sdl } }"))["_service"]["sdl"]
    user_type = sdl.split("type User ")[1].split("}")[0]
    assert "password" not in user_type.lower()
    assert "passwordhash" not in sdl.lower()
    await expect_error(users, "{ me { passwordHash } }", code="GRAPHQL_VALIDATION_FAILED")


async def test_passwords_never_reach_the_logs(
    users: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret_password = "a-password-that-must-not-be-logged"
    with caplog.at_level(logging.DEBUG):
        await sign_up(users, password=secret_password)
        await users.execute(LOGIN, {"email": "ada@example.com", "password": secret_password})
        await users.execute(LOGIN, {"email": "ada@example.com", "password": secret_password + "!"})
        await users.execute(LOGIN, {"email": "eve@example.com", "password": secret_password})
        await users.execute(SIGN_UP, {"input": {"name": "E", "email": "e@x.io", "password": "x"}})
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert secret_password not in logged
    # Even the hash stays out of the logs, but for drivers' own DEBUG traces of statements.
    info = "".join(str(r.__dict__) for r in caplog.records if r.levelno >= logging.INFO)
    assert "$argon2" not in info


def test_tokens_follow_the_configured_issuer_and_lifetime() -> None:
    token = TokenIssuer(secret=JWT_SECRET, issuer="https://id.example", ttl_seconds=60).issue(
        user_id="u1", role="MEMBER"
    )
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], issuer="https://id.example")
    assert (claims["sub"], claims["scope"], claims["exp"] - claims["iat"]) == ("u1", "member", 60)


async def test_seeded_users_log_in_with_the_demo_password(
    users: GraphQLClient, users_url: str, tmp_path: Path
) -> None:
    await seed(
        users=3,
        tasks=0,
        users_settings=UsersSettings(USERS_DATABASE_URL=users_url),
        tasks_settings=TasksSettings(TASKS_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/t.db"),
        random_seed=1,
    )
    page = await users.data("{ users { edges { node { email } } } }")
    for edge in page["users"]["edges"]:
        login = {"email": edge["node"]["email"], "password": DEMO_PASSWORD}
        assert (await users.data(LOGIN, login))["login"]["token"]
