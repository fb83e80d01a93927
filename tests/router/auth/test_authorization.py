"""Authorization end to end: real tokens through the router to production-mode subgraphs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.router.auth.router_app import RouterUnderTest, router_over_subgraphs
from tests.support.auth import bearer

SIGN_UP = """
mutation($input: SignUpInput!) { signUp(input: $input) { token user { id name } } }
"""
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
CREATE_TASK = """
mutation($input: CreateTaskInput!) { createTask(input: $input) { id title assignee { name } } }
"""
UPDATE_TASK = "mutation($id: ID!) { updateTask(id: $id, input: {status: DONE}) { status } }"
DELETE_TASK = "mutation($id: ID!) { deleteTask(id: $id) }"
CREATE_USER = 'mutation { createUser(input: {name: "Bo", email: "bo@example.com"}) { id } }'
ME = "{ me { id name tasks { totalCount } } }"
PASSWORD = "correct horse battery staple"


@pytest.fixture
async def router(users_url: str, tasks_url: str) -> AsyncIterator[RouterUnderTest]:
    async with router_over_subgraphs(users_url, tasks_url, production=True) as router:
        yield router


async def call(
    router: RouterUnderTest, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    response = await router.post(query, variables, **headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def sign_up(router: RouterUnderTest, name: str) -> tuple[str, str]:
    """A new member's id and Authorization header, through the router's public signUp."""
    variables = {"input": {"name": name, "email": f"{name}@example.com", "password": PASSWORD}}
    payload = (await call(router, SIGN_UP, variables))["data"]["signUp"]
    return payload["user"]["id"], f"Bearer {payload['token']}"


def code_of(body: dict[str, Any]) -> str:
    (error,) = body["errors"]
    code: str = error["extensions"]["code"]
    return code


async def test_sign_up_login_and_me_through_the_router(router: RouterUnderTest) -> None:
    ada, token = await sign_up(router, "ada")
    login = await call(router, LOGIN, {"e": "ada@example.com", "p": PASSWORD})
    again = f"Bearer {login['data']['login']['token']}"

    for authorization in (token, again):
        me = await call(router, ME, authorization=authorization)
        assert me == {"data": {"me": {"id": ada, "name": "ada", "tasks": {"totalCount": 0}}}}
    assert await call(router, ME) == {"data": {"me": None}}


async def test_a_signed_in_user_creates_and_changes_their_task(router: RouterUnderTest) -> None:
    ada, token = await sign_up(router, "ada")
    created = await call(
        router, CREATE_TASK, {"input": {"title": "Ship", "assigneeId": ada}}, authorization=token
    )
    task = created["data"]["createTask"]
    assert task["assignee"] == {"name": "ada"}

    updated = await call(router, UPDATE_TASK, {"id": task["id"]}, authorization=token)
    assert updated == {"data": {"updateTask": {"status": "DONE"}}}


async def test_anonymous_task_creation_is_unauthenticated(router: RouterUnderTest) -> None:
    body = await call(router, CREATE_TASK, {"input": {"title": "Ship"}})
    assert code_of(body) == "UNAUTHENTICATED"


async def test_someone_elses_task_is_forbidden_and_an_admin_may(router: RouterUnderTest) -> None:
    _, ada = await sign_up(router, "ada")
    _, eve = await sign_up(router, "eve")
    task = (await call(router, CREATE_TASK, {"input": {"title": "Ada's"}}, authorization=ada))[
        "data"
    ]["createTask"]

    forbidden = await call(router, DELETE_TASK, {"id": task["id"]}, authorization=eve)
    by_admin = await call(router, DELETE_TASK, {"id": task["id"]}, **bearer("root", "admin"))

    assert code_of(forbidden) == "FORBIDDEN"
    assert by_admin == {"data": {"deleteTask": True}}


async def test_a_member_may_not_create_users_and_an_admin_may(router: RouterUnderTest) -> None:
    _, member = await sign_up(router, "ada")

    assert code_of(await call(router, CREATE_USER, authorization=member)) == "FORBIDDEN"
    created = await call(router, CREATE_USER, **bearer("root", "member", "admin"))
    assert "errors" not in created


async def test_subgraphs_refuse_whoever_calls_them_without_the_router(
    router: RouterUnderTest,
) -> None:
    users = router.recorders["users"].app
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=users), base_url="http://users"
    ) as direct:
        response = await direct.post(
            "/graphql",
            json={"query": CREATE_USER},
            headers={"x-fedtasks-user-id": "root", "x-fedtasks-scopes": "member admin"},
        )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
