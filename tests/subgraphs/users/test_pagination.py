"""Paging through `users(first, after)`: page sizes, cursors, and where the list ends."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest

from subgraphs.users.models import UserRow
from tests.subgraphs.users.support import (
    DELETE_USER,
    USERS_PAGE,
    create_users,
    encode_cursor,
    expect_error,
    users_page,
)
from tests.support.graphql import GraphQLClient
from tests.support.rows import insert_rows


async def walk(users: GraphQLClient, first: int) -> list[dict[str, Any]]:
    """Every page of ``users``, following ``endCursor`` until ``hasNextPage`` is false."""
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        page = await users_page(users, first=first, after=after)
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        assert len(pages) < 50, "the walk does not end"
        after = page["pageInfo"]["endCursor"]


def nodes(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [edge["node"] for page in pages for edge in page["edges"]]


def created_order(user: dict[str, Any]) -> tuple[datetime, str]:
    return datetime.fromisoformat(user["createdAt"]), user["id"]


async def test_an_empty_list_has_no_edges_no_next_page_and_no_end_cursor(
    users: GraphQLClient,
) -> None:
    assert await users_page(users) == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "totalCount": 0,
    }


async def test_walking_every_page_returns_each_user_once_in_created_order(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    created = await create_users(users, 5)
    assert created == sorted(created, key=created_order)

    for first, sizes in [(2, [2, 2, 1]), (1, [1] * 5), (5, [5]), (3, [3, 2])]:
        with subtests.test(first=first):
            pages = await walk(users, first=first)

            assert [len(page["edges"]) for page in pages] == sizes
            assert [page["pageInfo"]["hasNextPage"] for page in pages][-1] is False
            assert all(page["pageInfo"]["hasNextPage"] for page in pages[:-1])
            for page in pages:
                assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
                assert page["totalCount"] == 5
            assert nodes(pages) == created


async def test_users_created_at_the_same_instant_are_ordered_by_id_without_loss(
    users: GraphQLClient, users_url: str
) -> None:
    same_instant = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    ids = ["user-c", "user-a", "user-e", "user-b", "user-d"]
    await insert_rows(
        users_url,
        UserRow,
        [
            {
                "id": user_id,
                "name": user_id,
                "email": f"{user_id}@example.com",
                "role": "MEMBER",
                "created_at": same_instant,
                "updated_at": same_instant,
            }
            for user_id in ids
        ],
    )

    pages = await walk(users, first=2)

    assert [len(page["edges"]) for page in pages] == [2, 2, 1]
    assert [user["id"] for user in nodes(pages)] == sorted(ids)


async def test_the_walk_continues_after_the_user_its_cursor_points_at_is_deleted(
    users: GraphQLClient,
) -> None:
    created = await create_users(users, 4)
    first_page = await users_page(users, first=2)
    await users.data(DELETE_USER, {"id": created[1]["id"]})

    rest = await users_page(users, first=2, after=first_page["pageInfo"]["endCursor"])

    assert [edge["node"] for edge in rest["edges"]] == created[2:]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["totalCount"] == 3


async def test_first_zero_returns_no_edges_and_first_100_is_allowed(
    users: GraphQLClient,
) -> None:
    created = await create_users(users, 2)

    empty = await users_page(users, first=0)
    everyone = await users_page(users, first=100)

    assert empty["edges"] == []
    assert empty["pageInfo"]["endCursor"] is None
    assert empty["totalCount"] == 2
    assert [edge["node"] for edge in everyone["edges"]] == created
    assert everyone["pageInfo"]["hasNextPage"] is False


async def test_the_default_page_size_is_20(users: GraphQLClient, subtests: pytest.Subtests) -> None:
    created = await create_users(users, 21)
    first_20 = [user["id"] for user in created[:20]]
    fields = "edges { node { id } } pageInfo { hasNextPage }"

    for how, query, variables in [
        ("omitted", f"{{ users {{ {fields} }} }}", None),
        ("literal null", f"{{ users(first: null) {{ {fields} }} }}", None),
        ("variable null", f"query($n: Int) {{ users(first: $n) {{ {fields} }} }}", {"n": None}),
    ]:
        with subtests.test(first=how):
            page = (await users.data(query, variables))["users"]

            assert [edge["node"]["id"] for edge in page["edges"]] == first_20
            assert page["pageInfo"]["hasNextPage"] is True


async def test_a_page_size_out_of_range_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    for first in [101, -1, 1_000_000]:
        with subtests.test(first=first):
            await expect_error(
                users,
                USERS_PAGE,
                {"first": first},
                code="BAD_USER_INPUT",
                mentions=("`first`", "between 0 and 100", str(first)),
            )


async def test_a_cursor_this_api_did_not_issue_is_bad_user_input(
    users: GraphQLClient, subtests: pytest.Subtests
) -> None:
    [ada] = await create_users(users, 1)
    issued_at = ada["createdAt"]

    for what, cursor in [
        ("not base64 of JSON", "nope"),
        ("empty", ""),
        ("punctuation", "!!!"),
        ("base64 of text", base64.urlsafe_b64encode(b"hello").decode()),
        ("base64 of an object", base64.urlsafe_b64encode(b'{"after": 1}').decode()),
        ("no key values", encode_cursor("CREATED_AT_ASC")),
        ("too few values", encode_cursor("CREATED_AT_ASC", issued_at)),
        ("too many values", encode_cursor("CREATED_AT_ASC", issued_at, ada["id"], "x")),
        ("not a timestamp", encode_cursor("CREATED_AT_ASC", "yesterday", ada["id"])),
        ("a number for a timestamp", encode_cursor("CREATED_AT_ASC", 20240501, ada["id"])),
    ]:
        with subtests.test(cursor=what):
            await expect_error(
                users,
                USERS_PAGE,
                {"first": 2, "after": cursor},
                code="BAD_USER_INPUT",
                mentions=("`after`", "not a valid cursor"),
            )

    with subtests.test(cursor="another ordering"):
        await expect_error(
            users,
            USERS_PAGE,
            {"first": 2, "after": encode_cursor("CREATED_AT_DESC", issued_at, ada["id"])},
            code="BAD_USER_INPUT",
            mentions=("`after`", "CREATED_AT_DESC"),
        )


async def test_a_cursor_timestamp_out_of_range_is_bad_user_input(users: GraphQLClient) -> None:
    for timestamp in ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]:
        await expect_error(
            users,
            USERS_PAGE,
            {"first": 2, "after": encode_cursor("CREATED_AT_ASC", timestamp, "some-id")},
            code="BAD_USER_INPUT",
            mentions=("`after`",),
        )
