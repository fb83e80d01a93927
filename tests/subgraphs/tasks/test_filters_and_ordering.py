"""Query.tasks filters (status, priority, assignee, search, due date) and every orderBy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.subgraphs.tasks.support import (
    create_tasks,
    list_tasks,
    page_through,
    titles,
    update_task,
)
from tests.support.graphql import GraphQLClient

# Created in this order, so the default (newest first) lists them bottom-up.
BACKLOG: list[dict[str, Any]] = [
    {
        "title": "Buy milk",
        "description": "Two litres",
        "priority": "LOW",
        "dueDate": "2030-01-10",
        "assigneeId": "u1",
    },
    {
        "title": "Write REPORT",
        "description": "Quarterly numbers",
        "status": "IN_PROGRESS",
        "priority": "HIGH",
        "dueDate": "2030-01-20",
        "assigneeId": "u2",
    },
    {"title": "Fix bug 1000", "status": "DONE", "priority": "HIGH", "assigneeId": "u1"},
    {"title": "Reach 100% coverage", "description": "All the tests", "dueDate": "2030-01-05"},
    {
        "title": "Review",
        "description": "Read the monthly report",
        "priority": "HIGH",
        "dueDate": "2030-02-01",
        "assigneeId": "u2",
    },
    {
        "title": "snake_case names",
        "status": "IN_PROGRESS",
        "priority": "LOW",
        "dueDate": "2030-01-10",
        "assigneeId": "u3",
    },
    {"title": "snake-case names", "description": "Paths like a/b", "status": "DONE"},
]


async def matching(tasks: GraphQLClient, **filter: Any) -> list[str]:
    """Titles matching ``filter``, newest first; totalCount must agree across pages."""
    page = await list_tasks(tasks, filter=filter, first=1)
    found = await titles(tasks, filter=filter, first=100)
    assert page["totalCount"] == len(found), (filter, page["totalCount"], found)
    return found


@pytest.fixture
async def backlog(tasks: GraphQLClient) -> list[dict[str, Any]]:
    return await create_tasks(tasks, *BACKLOG)


@pytest.mark.usefixtures("backlog")
async def test_no_filter_lists_everything(tasks: GraphQLClient) -> None:
    expected = [task["title"] for task in reversed(BACKLOG)]

    assert await matching(tasks) == expected
    assert await titles(tasks, filter=None) == expected


@pytest.mark.usefixtures("backlog")
async def test_filter_by_status(tasks: GraphQLClient) -> None:
    assert await matching(tasks, status="TODO") == [
        "Review",
        "Reach 100% coverage",
        "Buy milk",
    ]
    assert await matching(tasks, status="IN_PROGRESS") == ["snake_case names", "Write REPORT"]
    assert await matching(tasks, status="DONE") == ["snake-case names", "Fix bug 1000"]


@pytest.mark.usefixtures("backlog")
async def test_filter_by_priority(tasks: GraphQLClient) -> None:
    assert await matching(tasks, priority="HIGH") == ["Review", "Fix bug 1000", "Write REPORT"]
    assert await matching(tasks, priority="MEDIUM") == ["snake-case names", "Reach 100% coverage"]
    assert await matching(tasks, priority="LOW") == ["snake_case names", "Buy milk"]


@pytest.mark.usefixtures("backlog")
async def test_filter_by_assignee(tasks: GraphQLClient) -> None:
    assert await matching(tasks, assigneeId="u1") == ["Fix bug 1000", "Buy milk"]
    assert await matching(tasks, assigneeId="u2") == ["Review", "Write REPORT"]
    assert await matching(tasks, assigneeId="nobody") == []


@pytest.mark.usefixtures("backlog")
async def test_search_is_a_case_insensitive_substring_of_title_or_description(
    tasks: GraphQLClient,
) -> None:
    # "Write REPORT" by its title, "Review" by its description.
    assert await matching(tasks, search="report") == ["Review", "Write REPORT"]
    assert await matching(tasks, search="RePoRt") == ["Review", "Write REPORT"]
    assert await matching(tasks, search="MILK") == ["Buy milk"]
    assert await matching(tasks, search="litres") == ["Buy milk"]
    assert await matching(tasks, search="names") == ["snake-case names", "snake_case names"]
    assert await matching(tasks, search="nothing like this") == []


async def test_search_ignores_case_beyond_ascii(tasks: GraphQLClient) -> None:
    await create_tasks(tasks, {"title": "Élan vital"}, {"title": "ÜBER alles"})

    assert await matching(tasks, search="élan") == ["Élan vital"]
    assert await matching(tasks, search="über") == ["ÜBER alles"]


@pytest.mark.usefixtures("backlog")
async def test_search_treats_like_wildcards_literally(tasks: GraphQLClient) -> None:
    assert await matching(tasks, search="100") == ["Reach 100% coverage", "Fix bug 1000"]
    assert await matching(tasks, search="100%") == ["Reach 100% coverage"]
    assert await matching(tasks, search="%") == ["Reach 100% coverage"]
    assert await matching(tasks, search="snake_case") == ["snake_case names"]
    assert await matching(tasks, search="_") == ["snake_case names"]
    # "/" is the escape character of the LIKE pattern; it too is just a character.
    assert await matching(tasks, search="a/b") == ["snake-case names"]


@pytest.mark.usefixtures("backlog")
async def test_due_before_is_strict_and_skips_undated_tasks(tasks: GraphQLClient) -> None:
    assert await matching(tasks, dueBefore="2030-01-05") == []
    assert await matching(tasks, dueBefore="2030-01-10") == ["Reach 100% coverage"]
    assert await matching(tasks, dueBefore="2030-01-11") == [
        "snake_case names",
        "Reach 100% coverage",
        "Buy milk",
    ]
    assert await matching(tasks, dueBefore="2999-01-01") == [
        "snake_case names",
        "Review",
        "Reach 100% coverage",
        "Write REPORT",
        "Buy milk",
    ]


@pytest.mark.usefixtures("backlog")
async def test_filters_combine_with_and(tasks: GraphQLClient) -> None:
    assert await matching(tasks, status="TODO", priority="HIGH") == ["Review"]
    assert await matching(tasks, assigneeId="u1", status="DONE") == ["Fix bug 1000"]
    assert await matching(tasks, assigneeId="u2", search="report", priority="HIGH") == [
        "Review",
        "Write REPORT",
    ]
    assert await matching(tasks, search="report", dueBefore="2030-02-01") == ["Write REPORT"]
    assert await matching(tasks, status="DONE", priority="LOW") == []
    assert await matching(
        tasks,
        status="TODO",
        priority="LOW",
        assigneeId="u1",
        search="milk",
        dueBefore="2030-01-11",
    ) == ["Buy milk"]


# Created A..G in order; then C and A are edited, so A is the most recently updated.
SHELF: list[dict[str, Any]] = [
    {"title": "A", "priority": "MEDIUM", "dueDate": "2030-03-01"},
    {"title": "B", "priority": "HIGH"},
    {"title": "C", "priority": "LOW", "dueDate": "2030-01-01"},
    {"title": "D", "priority": "HIGH", "dueDate": "2030-02-01"},
    {"title": "E", "priority": "MEDIUM"},
    {"title": "F", "priority": "HIGH", "dueDate": "2030-01-15"},
    {"title": "G", "priority": "LOW", "dueDate": "2030-02-01"},
]

# Each order as groups: the groups come in this order, tasks within a group tie.
EXPECTED_ORDERS: dict[str, list[set[str]]] = {
    "CREATED_AT_DESC": [{"G"}, {"F"}, {"E"}, {"D"}, {"C"}, {"B"}, {"A"}],
    "CREATED_AT_ASC": [{"A"}, {"B"}, {"C"}, {"D"}, {"E"}, {"F"}, {"G"}],
    "UPDATED_AT_DESC": [{"A"}, {"C"}, {"G"}, {"F"}, {"E"}, {"D"}, {"B"}],
    # Same due date: a tie. Undated tasks come last.
    "DUE_DATE_ASC": [{"C"}, {"F"}, {"D", "G"}, {"A"}, {"B", "E"}],
    "PRIORITY_DESC": [{"B", "D", "F"}, {"A", "E"}, {"C", "G"}],
}


def grouped(order: list[str], sizes: list[int]) -> list[set[str]]:
    """``order`` cut into consecutive groups of the given sizes."""
    groups, start = [], 0
    for size in sizes:
        groups.append(set(order[start : start + size]))
        start += size
    assert start == len(order), order
    return groups


@pytest.fixture
async def shelf(tasks: GraphQLClient) -> None:
    created = {task["title"]: task for task in await create_tasks(tasks, *SHELF)}
    await update_task(tasks, created["C"]["id"], status="DONE")
    await update_task(tasks, created["A"]["id"], description="edited last")


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize("order_by", list(EXPECTED_ORDERS))
async def test_order_by_sorts_and_paging_visits_each_task_once_in_order(
    tasks: GraphQLClient, order_by: str
) -> None:
    expected = EXPECTED_ORDERS[order_by]

    whole = await titles(tasks, orderBy=order_by, first=100)
    assert grouped(whole, [len(group) for group in expected]) == expected
    # Ties are broken the same way every time, so the order is total and repeatable...
    assert await titles(tasks, orderBy=order_by, first=100) == whole
    # ...and paging two at a time visits every task exactly once, in that order.
    assert await page_through(tasks, orderBy=order_by, first=2) == whole
    assert await page_through(tasks, orderBy=order_by, first=3) == whole


@pytest.mark.usefixtures("shelf")
async def test_paging_a_filtered_list_one_at_a_time(tasks: GraphQLClient) -> None:
    high = await titles(tasks, filter={"priority": "HIGH"}, orderBy="DUE_DATE_ASC")
    assert high == ["F", "D", "B"]

    assert await page_through(tasks, filter={"priority": "HIGH"}, orderBy="DUE_DATE_ASC") == high
    assert await page_through(
        tasks, filter={"dueBefore": "2030-02-02"}, orderBy="PRIORITY_DESC", first=1
    ) == await titles(tasks, filter={"dueBefore": "2030-02-02"}, orderBy="PRIORITY_DESC")


@pytest.mark.usefixtures("shelf")
async def test_a_task_created_while_paging_does_not_shift_the_pages(tasks: GraphQLClient) -> None:
    first_page = await list_tasks(tasks, first=3)
    assert [edge["node"]["title"] for edge in first_page["edges"]] == ["G", "F", "E"]

    await create_tasks(tasks, {"title": "H"})

    rest = await titles(tasks, first=100, after=first_page["pageInfo"]["endCursor"])
    assert rest == ["D", "C", "B", "A"]


async def test_a_task_due_on_the_last_representable_day_still_precedes_undated_ones(
    tasks: GraphQLClient,
) -> None:
    await create_tasks(
        tasks,
        *({"title": f"Undated {number}"} for number in range(10)),
        {"title": "Far future", "dueDate": "9999-12-31"},
    )

    order = await titles(tasks, orderBy="DUE_DATE_ASC")

    # A task due on the last representable day still comes before every undated one.
    assert order[0] == "Far future"
