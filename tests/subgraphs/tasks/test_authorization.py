"""Who may do what to tasks, asked of the tasks subgraph directly (the router's headers)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.subgraphs.tasks.support import CREATE_TASK, DELETE_TASK, UPDATE_TASK, get_task
from tests.support.auth import as_admin, as_user
from tests.support.graphql import GraphQLClient

CREATOR, ASSIGNEE, STRANGER = "creator-1", "assignee-1", "stranger-1"


@pytest.fixture
def anonymous(tasks_app: tuple[FastAPI, GraphQLClient]) -> GraphQLClient:
    return tasks_app[1]


def acting(anonymous: GraphQLClient, headers: dict[str, str]) -> GraphQLClient:
    return anonymous.acting_as(headers)


async def create(anonymous: GraphQLClient) -> dict[str, Any]:
    creator = acting(anonymous, as_user(CREATOR))
    variables = {"input": {"title": "Write docs", "assigneeId": ASSIGNEE}}
    task: dict[str, Any] = (await creator.data(CREATE_TASK, variables))["createTask"]
    return task


async def expect(client: GraphQLClient, query: str, variables: dict[str, Any], code: str) -> str:
    body = await client.execute(query, variables)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code, error
    assert body["data"] is None
    assert "invalidation" not in body.get("extensions", {})
    message: str = error["message"]
    return message


async def test_anonymous_callers_cannot_create_tasks(anonymous: GraphQLClient) -> None:
    message = await expect(anonymous, CREATE_TASK, {"input": {"title": "x"}}, "UNAUTHENTICATED")

    assert message == "Sign in to create a task."
    assert (await anonymous.data("{ tasks { totalCount } }"))["tasks"]["totalCount"] == 0


async def test_any_signed_in_member_may_create_a_task(anonymous: GraphQLClient) -> None:
    task = await create(anonymous)
    assert (await get_task(anonymous, task["id"]) or {})["title"] == "Write docs"


@pytest.mark.parametrize(
    "who",
    [as_user(CREATOR), as_user(ASSIGNEE), as_admin("an-admin")],
    ids=["creator", "assignee", "admin"],
)
async def test_the_creator_the_assignee_and_admins_may_update_and_delete(
    anonymous: GraphQLClient, who: dict[str, str]
) -> None:
    task = await create(anonymous)
    client = acting(anonymous, who)

    updated = await client.data(UPDATE_TASK, {"id": task["id"], "input": {"status": "DONE"}})
    deleted = await client.data(DELETE_TASK, {"id": task["id"]})

    assert updated["updateTask"]["status"] == "DONE"
    assert deleted == {"deleteTask": True}
    assert await get_task(anonymous, task["id"]) is None


async def test_anyone_else_is_forbidden_to_update_or_delete(anonymous: GraphQLClient) -> None:
    task = await create(anonymous)
    stranger = acting(anonymous, as_user(STRANGER, "member", "admins"))
    change = {"id": task["id"], "input": {"title": "Mine now"}}

    updating = await expect(stranger, UPDATE_TASK, change, "FORBIDDEN")
    deleting = await expect(stranger, DELETE_TASK, {"id": task["id"]}, "FORBIDDEN")

    assert updating == "Only the task's creator, its assignee or an admin may change it."
    assert deleting == "Only the task's creator, its assignee or an admin may delete it."
    assert await get_task(anonymous, task["id"]) == task


async def test_a_task_handed_to_someone_else_is_no_longer_the_old_assignees(
    anonymous: GraphQLClient,
) -> None:
    task = await create(anonymous)
    creator = acting(anonymous, as_user(CREATOR))
    await creator.data(UPDATE_TASK, {"id": task["id"], "input": {"assigneeId": "someone-else"}})

    old_assignee = acting(anonymous, as_user(ASSIGNEE))
    await expect(old_assignee, DELETE_TASK, {"id": task["id"]}, "FORBIDDEN")


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (UPDATE_TASK, {"input": {"title": "x"}}),
        (DELETE_TASK, {}),
    ],
    ids=["update", "delete"],
)
async def test_anonymous_callers_cannot_update_or_delete(
    anonymous: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    task = await create(anonymous)
    await expect(anonymous, query, {"id": task["id"], **variables}, "UNAUTHENTICATED")
    assert await get_task(anonymous, task["id"]) == task


async def test_a_missing_task_is_not_found_for_anyone_signed_in(anonymous: GraphQLClient) -> None:
    stranger = acting(anonymous, as_user(STRANGER))
    await expect(stranger, DELETE_TASK, {"id": "no-such-task"}, "NOT_FOUND")
