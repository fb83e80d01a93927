"""Query.task and Query.tasks: reading tasks back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.subgraphs.tasks.support import (
    TASK_FIELDS,
    create_task,
    create_tasks,
    get_task,
    titles,
)
from tests.support.graphql import GraphQLClient


async def test_task_by_id_returns_every_field(tasks: GraphQLClient) -> None:
    created = await create_task(
        tasks,
        title="Plan",
        description="Sketch the milestones",
        status="IN_PROGRESS",
        priority="LOW",
        dueDate="2030-07-14",
        assigneeId="u1",
    )

    task = await get_task(tasks, created["id"])

    assert task == {
        "id": created["id"],
        "title": "Plan",
        "description": "Sketch the milestones",
        "status": "IN_PROGRESS",
        "priority": "LOW",
        "dueDate": "2030-07-14",
        "createdAt": created["createdAt"],
        "updatedAt": created["updatedAt"],
        "assigneeId": "u1",
    }


async def test_task_by_unknown_id_is_null(tasks: GraphQLClient) -> None:
    await create_task(tasks, title="Someone else")

    assert await get_task(tasks, "00000000-0000-0000-0000-000000000000") is None
    assert await get_task(tasks, "not-even-a-uuid") is None


async def test_timestamps_are_iso_8601_with_a_time_zone_and_recent(tasks: GraphQLClient) -> None:
    before = datetime.now(UTC)
    created = await create_task(tasks, title="When")
    task = await get_task(tasks, created["id"])
    assert task is not None

    for field in ("createdAt", "updatedAt"):
        stamp = datetime.fromisoformat(task[field])
        assert stamp.utcoffset() is not None, task[field]
        assert before - timedelta(seconds=5) <= stamp <= datetime.now(UTC) + timedelta(seconds=5)


async def test_several_tasks_by_id_in_one_request(tasks: GraphQLClient) -> None:
    first, second = await create_tasks(tasks, {"title": "One"}, {"title": "Two"})

    data = await tasks.data(
        "query($a: ID!, $b: ID!, $c: ID!) {"
        " a: task(id: $a) { title } b: task(id: $b) { title } c: task(id: $c) { title } }",
        {"a": second["id"], "b": "missing", "c": first["id"]},
    )

    assert data == {"a": {"title": "Two"}, "b": None, "c": {"title": "One"}}


async def test_tasks_lists_newest_first_by_default(tasks: GraphQLClient) -> None:
    await create_tasks(tasks, {"title": "Old"}, {"title": "Middle"}, {"title": "New"})

    assert await titles(tasks) == ["New", "Middle", "Old"]
    assert await titles(tasks, orderBy=None) == ["New", "Middle", "Old"]


async def test_tasks_nodes_carry_every_field(tasks: GraphQLClient) -> None:
    created = await create_task(tasks, title="Full", dueDate="2030-01-01", assigneeId="u3")

    data = await tasks.data(f"{{ tasks {{ edges {{ node {{ {TASK_FIELDS} }} }} totalCount }} }}")

    assert data["tasks"] == {"edges": [{"node": created}], "totalCount": 1}


async def test_tasks_on_an_empty_database(tasks: GraphQLClient) -> None:
    data = await tasks.data(
        "{ tasks { edges { cursor } pageInfo { hasNextPage endCursor } totalCount } }"
    )

    assert data["tasks"] == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "totalCount": 0,
    }
