"""createTask, updateTask and deleteTask."""

from __future__ import annotations

from datetime import datetime

from tests.subgraphs.tasks.support import (
    DELETE_TASK,
    create_task,
    get_task,
    update_task,
)
from tests.support.graphql import GraphQLClient


def moment(value: str) -> datetime:
    """An ISO 8601 timestamp that must carry its time zone."""
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    assert parsed.utcoffset() is not None, value
    return parsed


async def test_create_task_with_only_a_title_gets_the_defaults(tasks: GraphQLClient) -> None:
    task = await create_task(tasks, title="Write the tests")

    assert task["id"]
    assert task["title"] == "Write the tests"
    assert task["status"] == "TODO"
    assert task["priority"] == "MEDIUM"
    assert task["description"] is None
    assert task["dueDate"] is None
    assert task["assigneeId"] is None
    assert moment(task["createdAt"]) <= moment(task["updatedAt"])


async def test_create_task_with_every_field(tasks: GraphQLClient) -> None:
    task = await create_task(
        tasks,
        title="Ship it",
        description="Tag and publish the release",
        status="IN_PROGRESS",
        priority="HIGH",
        dueDate="2030-01-31",
        assigneeId="u1",
    )

    assert task["title"] == "Ship it"
    assert task["description"] == "Tag and publish the release"
    assert task["status"] == "IN_PROGRESS"
    assert task["priority"] == "HIGH"
    assert task["dueDate"] == "2030-01-31"
    assert task["assigneeId"] == "u1"


async def test_created_task_can_be_read_back(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Read me", dueDate="2030-05-01", assigneeId="u7")
    twin = await create_task(tasks, title="Read me", dueDate="2030-05-01", assigneeId="u7")

    assert twin["id"] != created["id"]
    assert await get_task(tasks, created["id"]) == created
    assert await get_task(tasks, twin["id"]) == twin


async def test_create_task_trims_text_and_stores_a_blank_description_as_null(
    tasks: GraphQLClient,
) -> None:
    task = await create_task(tasks, title="  Padded title  ", description="   ")

    assert task["title"] == "Padded title"
    assert task["description"] is None


async def test_update_task_changes_only_the_given_fields(tasks: GraphQLClient) -> None:
    created = await create_task(
        tasks,
        title="Original",
        description="Keep me",
        priority="LOW",
        dueDate="2030-02-01",
        assigneeId="u1",
    )

    updated = await update_task(tasks, created["id"], status="DONE")

    assert updated["status"] == "DONE"
    unchanged = ("id", "title", "description", "priority", "dueDate", "assigneeId", "createdAt")
    assert {field: updated[field] for field in unchanged} == {
        field: created[field] for field in unchanged
    }
    assert await get_task(tasks, created["id"]) == updated


async def test_update_task_changes_every_field_at_once(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Before", assigneeId="u1")

    updated = await update_task(
        tasks,
        created["id"],
        title="After",
        description="Now described",
        status="IN_PROGRESS",
        priority="HIGH",
        dueDate="2031-12-24",
        assigneeId="u2",
    )

    assert updated["title"] == "After"
    assert updated["description"] == "Now described"
    assert updated["status"] == "IN_PROGRESS"
    assert updated["priority"] == "HIGH"
    assert updated["dueDate"] == "2031-12-24"
    assert updated["assigneeId"] == "u2"
    assert await get_task(tasks, created["id"]) == updated


async def test_update_task_with_null_clears_the_optional_fields(tasks: GraphQLClient) -> None:
    created = await create_task(
        tasks, title="Clear me", description="Text", dueDate="2030-03-03", assigneeId="u1"
    )

    updated = await update_task(
        tasks, created["id"], description=None, dueDate=None, assigneeId=None
    )

    assert updated["description"] is None
    assert updated["dueDate"] is None
    assert updated["assigneeId"] is None
    assert updated["title"] == "Clear me"
    stored = await get_task(tasks, created["id"])
    assert stored is not None
    assert (stored["description"], stored["dueDate"], stored["assigneeId"]) == (None, None, None)


async def test_update_task_moves_updated_at_forward_and_keeps_created_at(
    tasks: GraphQLClient,
) -> None:
    created = await create_task(tasks, title="Timestamps")

    updated = await update_task(tasks, created["id"], title="Timestamps, renamed")

    assert updated["createdAt"] == created["createdAt"]
    assert moment(updated["updatedAt"]) > moment(created["updatedAt"])
    stored = await get_task(tasks, created["id"])
    assert stored is not None
    assert stored["createdAt"] == created["createdAt"]
    assert stored["updatedAt"] == updated["updatedAt"]


async def test_update_task_with_an_empty_input_changes_nothing(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Nothing to change", description="Same")

    assert await update_task(tasks, created["id"]) == created


async def test_delete_task_returns_true_and_the_task_is_gone(tasks: GraphQLClient) -> None:
    kept = await create_task(tasks, title="Keep")
    doomed = await create_task(tasks, title="Delete")

    assert await tasks.data(DELETE_TASK, {"id": doomed["id"]}) == {"deleteTask": True}

    assert await get_task(tasks, doomed["id"]) is None
    assert await get_task(tasks, kept["id"]) == kept
    listed = await tasks.data("{ tasks { totalCount edges { node { id } } } }")
    assert listed["tasks"] == {"totalCount": 1, "edges": [{"node": {"id": kept["id"]}}]}
    # A second delete finds nothing to delete.
    assert await tasks.error_code(DELETE_TASK, {"id": doomed["id"]}) == "NOT_FOUND"
