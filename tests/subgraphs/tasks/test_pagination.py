"""Query.tasks pages: sizes, cursors, the last page, and the cursors it refuses."""

from __future__ import annotations

from tests.subgraphs.tasks.support import (
    TASK_PAGE,
    create_tasks,
    forged_cursor,
    list_tasks,
    titles,
)
from tests.support.graphql import GraphQLClient


async def create_numbered(tasks: GraphQLClient, count: int) -> list[str]:
    """Create tasks "Task 01".."Task nn" in that order; return their titles."""
    names = [f"Task {number:02}" for number in range(1, count + 1)]
    await create_tasks(tasks, *({"title": name} for name in names))
    return names


async def test_empty_result(tasks: GraphQLClient) -> None:
    await create_numbered(tasks, 2)

    page = await list_tasks(tasks, filter={"search": "no such task"}, first=5)

    assert page == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "totalCount": 0,
    }


async def test_pages_follow_end_cursor_and_the_last_one_has_no_next_page(
    tasks: GraphQLClient,
) -> None:
    await create_numbered(tasks, 5)

    first = await list_tasks(tasks, first=2)
    assert [edge["node"]["title"] for edge in first["edges"]] == ["Task 05", "Task 04"]
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": first["edges"][1]["cursor"]}
    assert first["totalCount"] == 5

    second = await list_tasks(tasks, first=2, after=first["pageInfo"]["endCursor"])
    assert [edge["node"]["title"] for edge in second["edges"]] == ["Task 03", "Task 02"]
    assert second["pageInfo"]["hasNextPage"] is True
    assert second["totalCount"] == 5

    last = await list_tasks(tasks, first=2, after=second["pageInfo"]["endCursor"])
    assert [edge["node"]["title"] for edge in last["edges"]] == ["Task 01"]
    assert last["pageInfo"] == {"hasNextPage": False, "endCursor": last["edges"][0]["cursor"]}

    beyond = await list_tasks(tasks, first=2, after=last["pageInfo"]["endCursor"])
    assert beyond["edges"] == []
    assert beyond["pageInfo"] == {"hasNextPage": False, "endCursor": None}


async def test_a_page_that_ends_exactly_at_the_last_task_has_no_next_page(
    tasks: GraphQLClient,
) -> None:
    await create_numbered(tasks, 4)

    second = await list_tasks(
        tasks, first=2, after=(await list_tasks(tasks, first=2))["pageInfo"]["endCursor"]
    )

    assert [edge["node"]["title"] for edge in second["edges"]] == ["Task 02", "Task 01"]
    assert second["pageInfo"]["hasNextPage"] is False


async def test_every_edge_cursor_resumes_right_after_its_node(tasks: GraphQLClient) -> None:
    names = list(reversed(await create_numbered(tasks, 4)))
    page = await list_tasks(tasks, first=4)

    for position, edge in enumerate(page["edges"]):
        assert await titles(tasks, after=edge["cursor"]) == names[position + 1 :]


async def test_first_zero_returns_no_edges_but_says_more_exist(tasks: GraphQLClient) -> None:
    await create_numbered(tasks, 3)

    page = await list_tasks(tasks, first=0)

    assert page["edges"] == []
    assert page["pageInfo"] == {"hasNextPage": True, "endCursor": None}
    assert page["totalCount"] == 3


async def test_first_null_or_omitted_means_twenty(tasks: GraphQLClient) -> None:
    names = list(reversed(await create_numbered(tasks, 21)))

    for omitted_or_null in (
        await list_tasks(tasks, first=None),
        (await tasks.data("{ tasks { edges { node { title } } pageInfo { hasNextPage } } }"))[
            "tasks"
        ],
    ):
        assert [edge["node"]["title"] for edge in omitted_or_null["edges"]] == names[:20]
        assert omitted_or_null["pageInfo"]["hasNextPage"] is True


async def test_first_can_be_up_to_100_and_beyond_that_is_bad_user_input(
    tasks: GraphQLClient,
) -> None:
    await create_numbered(tasks, 2)
    largest = await list_tasks(tasks, first=100)
    assert len(largest["edges"]) == 2
    assert largest["pageInfo"]["hasNextPage"] is False

    for first in (101, -1, 1000):
        error = await tasks.error(TASK_PAGE, {"first": first})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "first"
        assert "first" in error["message"]
        assert str(first) in error["message"]
        assert error["path"] == ["tasks"]

        literal = await tasks.error(f"{{ tasks(first: {first}) {{ totalCount }} }}")
        assert literal["extensions"]["code"] == "BAD_USER_INPUT", literal


async def test_a_cursor_the_api_did_not_issue_is_bad_user_input(tasks: GraphQLClient) -> None:
    await create_numbered(tasks, 1)

    for cursor in (
        "garbage",
        "",
        "W10=",  # an empty JSON list
        "not base64 at all!",
        forged_cursor("CREATED_AT_DESC", "yesterday", "id"),
        forged_cursor("CREATED_AT_DESC", "2030-01-01T00:00:00"),
        forged_cursor("CREATED_AT_DESC", "2030-01-01T00:00:00", "id", "extra"),
        forged_cursor("NEWEST", "2030-01-01T00:00:00", "id"),
        forged_cursor("CREATED_AT_DESC", 1.5, "id"),
        forged_cursor("CREATED_AT_DESC", None, "id"),
        forged_cursor({"order": "CREATED_AT_DESC"}),
        forged_cursor("CREATED_AT_DESC", "0001-01-01T00:00:00+14:00", "id"),
        forged_cursor("CREATED_AT_DESC", "2030-01-01T00:00:00+00:00", "a\x00b"),
    ):
        error = await tasks.error(TASK_PAGE, {"after": cursor})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (cursor, error)
        assert error["extensions"]["field"] == "after"
        assert "after" in error["message"]

    for order_by, cursor in (
        ("PRIORITY_DESC", forged_cursor("PRIORITY_DESC", "high", "id")),
        ("DUE_DATE_ASC", forged_cursor("DUE_DATE_ASC", "2030-01-01T10:00:00", "id")),
    ):
        error = await tasks.error(TASK_PAGE, {"after": cursor, "orderBy": order_by})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (cursor, error)


async def test_a_cursor_reused_with_another_order_is_bad_user_input(tasks: GraphQLClient) -> None:
    await create_numbered(tasks, 3)

    for issued_for, reused_with in (
        ("CREATED_AT_DESC", "CREATED_AT_ASC"),
        ("PRIORITY_DESC", "DUE_DATE_ASC"),
        ("UPDATED_AT_DESC", "CREATED_AT_DESC"),
        ("DUE_DATE_ASC", "PRIORITY_DESC"),
    ):
        page = await list_tasks(tasks, first=1, orderBy=issued_for)
        cursor = page["pageInfo"]["endCursor"]

        error = await tasks.error(TASK_PAGE, {"first": 1, "after": cursor, "orderBy": reused_with})

        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "after" in error["message"]
        assert issued_for in error["message"]
        # The same cursor still works with the order it was issued for.
        assert await titles(tasks, first=1, after=cursor, orderBy=issued_for)


async def test_a_forged_priority_cursor_with_an_unknown_rank_is_bad_user_input(
    tasks: GraphQLClient,
) -> None:
    await create_numbered(tasks, 1)

    error = await tasks.error(
        TASK_PAGE,
        {"after": forged_cursor("PRIORITY_DESC", 99_999, "id"), "orderBy": "PRIORITY_DESC"},
    )

    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
