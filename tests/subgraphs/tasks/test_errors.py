"""Errors the tasks subgraph reports: exact codes, messages naming the field, no lost data."""

from __future__ import annotations

from typing import Any

from tests.subgraphs.tasks.support import (
    CREATE_TASK,
    DELETE_TASK,
    UPDATE_TASK,
    create_task,
    get_task,
    list_tasks,
)
from tests.support.graphql import GraphQLClient

UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


async def assert_bad_input(
    tasks: GraphQLClient, query: str, variables: dict[str, Any], *mentions: str
) -> dict[str, Any]:
    """The request fails with BAD_USER_INPUT and a message mentioning each of ``mentions``."""
    error = await tasks.error(query, variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    for mention in mentions:
        assert mention in error["message"], error
    return error


async def test_create_task_with_a_blank_title_is_bad_user_input(tasks: GraphQLClient) -> None:
    for title in ("", "   ", "\t\n", "\u200b"):
        error = await assert_bad_input(tasks, CREATE_TASK, {"input": {"title": title}}, "title")
        assert error["extensions"]["field"] == "title"
        assert error["path"] == ["createTask"]

    # Omitting the title altogether is caught by the schema.
    await assert_bad_input(tasks, CREATE_TASK, {"input": {"description": "no title"}}, "title")
    assert (await list_tasks(tasks))["totalCount"] == 0


async def test_text_with_control_characters_is_bad_user_input(tasks: GraphQLClient) -> None:
    await assert_bad_input(tasks, CREATE_TASK, {"input": {"title": "bell\x07"}}, "title")
    await assert_bad_input(
        tasks, CREATE_TASK, {"input": {"title": "t", "description": "esc\x1b[0m"}}, "description"
    )
    # Tabs and newlines are ordinary text in a description.
    task = await create_task(tasks, title="Lines", description="one\n\ttwo")
    assert task["description"] == "one\n\ttwo"


async def test_create_task_title_of_200_characters_is_fine_but_201_is_not(
    tasks: GraphQLClient,
) -> None:
    task = await create_task(tasks, title="x" * 200)
    assert len(task["title"]) == 200

    error = await assert_bad_input(
        tasks, CREATE_TASK, {"input": {"title": "x" * 201}}, "title", "200"
    )

    assert error["extensions"]["field"] == "title"
    assert (await list_tasks(tasks))["totalCount"] == 1


async def test_too_long_description_assignee_or_search_is_bad_user_input(
    tasks: GraphQLClient,
) -> None:
    await assert_bad_input(
        tasks,
        CREATE_TASK,
        {"input": {"title": "t", "description": "d" * 10_001}},
        "description",
    )
    await assert_bad_input(
        tasks, CREATE_TASK, {"input": {"title": "t", "assigneeId": "u" * 65}}, "assigneeId"
    )
    await assert_bad_input(
        tasks,
        "query($filter: TaskFilter) { tasks(filter: $filter) { totalCount } }",
        {"filter": {"search": "s" * 201}},
        "search",
    )


async def test_unknown_enum_literal_is_bad_user_input(tasks: GraphQLClient) -> None:
    for query in (
        "{ tasks(filter: {status: FOO}) { totalCount } }",
        "{ tasks(orderBy: NEWEST) { totalCount } }",
        'mutation { createTask(input: {title: "t", priority: URGENT}) { id } }',
    ):
        error = await tasks.error(query)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "does not exist" in error["message"], error

    error = await tasks.error("{ tasks(filter: {status: FOO}) { totalCount } }")
    assert "FOO" in error["message"]
    assert "TaskStatus" in error["message"]


async def test_unknown_enum_value_in_a_variable_is_bad_user_input(tasks: GraphQLClient) -> None:
    await assert_bad_input(
        tasks, CREATE_TASK, {"input": {"title": "t", "status": "FOO"}}, "status", "FOO"
    )
    await assert_bad_input(
        tasks,
        "query($status: TaskStatus) { tasks(filter: {status: $status}) { totalCount } }",
        {"status": "FOO"},
        "$status",
        "FOO",
    )
    await assert_bad_input(
        tasks, UPDATE_TASK, {"id": "x", "input": {"priority": "URGENT"}}, "priority"
    )
    assert (await list_tasks(tasks))["totalCount"] == 0


async def test_bad_due_date_in_a_variable_is_bad_user_input(tasks: GraphQLClient) -> None:
    for due_date in ("tomorrow", "2030-13-01", "2030-02-30", "01/02/2030", "", 20300101):
        await assert_bad_input(
            tasks, CREATE_TASK, {"input": {"title": "t", "dueDate": due_date}}, "dueDate"
        )
        await assert_bad_input(
            tasks,
            "query($filter: TaskFilter) { tasks(filter: $filter) { totalCount } }",
            {"filter": {"dueBefore": due_date}},
            "dueBefore",
        )

    assert (await list_tasks(tasks))["totalCount"] == 0


async def test_bad_due_date_literal_is_bad_user_input(tasks: GraphQLClient) -> None:
    error = await tasks.error(
        'mutation { createTask(input: {title: "t", dueDate: "soon"}) { id } }'
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Date" in error["message"]


async def test_update_task_title_null_or_blank_is_bad_user_input(tasks: GraphQLClient) -> None:
    task = await create_task(tasks, title="Keep this title")

    null = await assert_bad_input(
        tasks, UPDATE_TASK, {"id": task["id"], "input": {"title": None}}, "title"
    )
    assert null["extensions"]["field"] == "title"
    await assert_bad_input(tasks, UPDATE_TASK, {"id": task["id"], "input": {"title": " "}}, "title")
    await assert_bad_input(
        tasks, UPDATE_TASK, {"id": task["id"], "input": {"title": "y" * 201}}, "title"
    )

    assert await get_task(tasks, task["id"]) == task


async def test_update_task_required_enum_to_null_is_bad_user_input(tasks: GraphQLClient) -> None:
    task = await create_task(tasks, title="Required", status="IN_PROGRESS", priority="HIGH")

    for field in ("status", "priority"):
        error = await assert_bad_input(
            tasks, UPDATE_TASK, {"id": task["id"], "input": {field: None}}, field
        )
        assert error["extensions"]["field"] == field

    assert await get_task(tasks, task["id"]) == task


async def test_a_failed_update_changes_nothing(tasks: GraphQLClient) -> None:
    task = await create_task(
        tasks,
        title="Precious",
        description="Do not lose me",
        status="IN_PROGRESS",
        priority="HIGH",
        dueDate="2030-06-01",
        assigneeId="u1",
    )

    # Valid changes next to an invalid one: none of them may be applied.
    for bad in (
        {"description": None, "dueDate": None, "assigneeId": None, "title": ""},
        {"title": "Renamed", "description": "Replaced", "priority": None},
        {"title": "Renamed", "assigneeId": "u" * 65},
        {"description": "z" * 10_001, "status": "DONE"},
    ):
        code = await tasks.error_code(UPDATE_TASK, {"id": task["id"], "input": bad})
        assert code == "BAD_USER_INPUT", bad
        assert await get_task(tasks, task["id"]) == task, bad


async def test_update_and_delete_of_an_unknown_task_are_not_found(tasks: GraphQLClient) -> None:
    kept = await create_task(tasks, title="Unrelated")

    update = await tasks.error(UPDATE_TASK, {"id": UNKNOWN_ID, "input": {"title": "New"}})
    assert update["extensions"]["code"] == "NOT_FOUND"
    assert update["extensions"]["field"] == "id"
    assert UNKNOWN_ID in update["message"]
    assert update["path"] == ["updateTask"]

    delete = await tasks.error(DELETE_TASK, {"id": UNKNOWN_ID})
    assert delete["extensions"]["code"] == "NOT_FOUND"
    assert UNKNOWN_ID in delete["message"]
    assert delete["path"] == ["deleteTask"]

    assert await get_task(tasks, kept["id"]) == kept
    for error in (update, delete):
        for leak in ("traceback", "sqlalchemy", "select ", "exception"):
            assert leak not in str(error).lower()


async def test_text_with_a_nul_character_is_never_an_internal_error(tasks: GraphQLClient) -> None:
    # Postgres text cannot hold U+0000: it must be refused as input, or simply match nothing.
    task = await create_task(tasks, title="Plain")
    nul = "a\x00b"

    for query, variables in (
        (CREATE_TASK, {"input": {"title": nul}}),
        (UPDATE_TASK, {"id": task["id"], "input": {"description": nul}}),
        ("query($id: ID!) { task(id: $id) { id } }", {"id": nul}),
        (
            "query($filter: TaskFilter) { tasks(filter: $filter) { totalCount } }",
            {"filter": {"search": nul}},
        ),
        (
            "query($filter: TaskFilter) { tasks(filter: $filter) { totalCount } }",
            {"filter": {"assigneeId": nul}},
        ),
    ):
        body = await tasks.execute(query, variables)
        codes = [error["extensions"]["code"] for error in body.get("errors", [])]
        assert codes in ([], ["BAD_USER_INPUT"]), (variables, body)
