"""Paging through `users(first, after)`: page sizes, cursors, and where the list ends."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

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


async def test_an_empty_list_has_no_edges_no_next_page_and_no_end_cursor(
    users: GraphQLClient,
) -> None:
    assert await users_page(users) == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "totalCount": 0,
    }


async def test_walking_pages_of_two_returns_every_user_once_in_created_order(
    users: GraphQLClient,
) -> None:
    created = await create_users(users, 5)

    pages = await walk(users, first=2)

    assert [len(page["edges"]) for page in pages] == [2, 2, 1]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]
    assert all(page["totalCount"] == 5 for page in pages)
    for page in pages:
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
    seen = nodes(pages)
    assert seen == created
    assert seen == sorted(
        seen, key=lambda user: (datetime.fromisoformat(user["createdAt"]), user["id"])
    )


async def test_a_page_that_ends_exactly_at_the_last_user_has_no_next_page(
    users: GraphQLClient,
) -> None:
    created = await create_users(users, 4)

    pages = await walk(users, first=2)

    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, False]
    assert nodes(pages) == created


async def test_users_created_at_the_same_instant_are_ordered_by_id_without_loss(
    users_app: tuple[FastAPI, GraphQLClient],
) -> None:
    app, users = users_app
    same_instant = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    ids = ["user-c", "user-a", "user-e", "user-b", "user-d"]
    sessions = async_sessionmaker(app.state.engine, expire_on_commit=False)
    async with sessions() as session:
        session.add_all(
            UserRow(
                id=user_id,
                name=user_id,
                email=f"{user_id}@example.com",
                role="MEMBER",
                created_at=same_instant,
                updated_at=same_instant,
            )
            for user_id in ids
        )
        await session.commit()

    pages = await walk(users, first=2)

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


async def test_first_zero_returns_no_edges(users: GraphQLClient) -> None:
    await create_users(users, 2)

    page = await users_page(users, first=0)

    assert page["edges"] == []
    assert page["pageInfo"]["endCursor"] is None
    assert page["totalCount"] == 2


async def test_first_100_is_the_largest_page(users: GraphQLClient) -> None:
    await create_users(users, 2)

    page = await users_page(users, first=100)

    assert len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    "query",
    [
        "{ users { edges { node { id } } pageInfo { hasNextPage } } }",
        "{ users(first: null) { edges { node { id } } pageInfo { hasNextPage } } }",
        (
            "query($first: Int) { users(first: $first) { edges { node { id } } "
            "pageInfo { hasNextPage } } }"
        ),
    ],
    ids=["omitted", "literal-null", "variable-null"],
)
async def test_the_default_page_size_is_20(users: GraphQLClient, query: str) -> None:
    created = await create_users(users, 21)

    page = (await users.data(query, {"first": None} if "$first" in query else None))["users"]

    assert [edge["node"]["id"] for edge in page["edges"]] == [user["id"] for user in created[:20]]
    assert page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("first", [101, -1, 1_000_000])
async def test_a_page_size_out_of_range_is_bad_user_input(users: GraphQLClient, first: int) -> None:
    await expect_error(
        users,
        USERS_PAGE,
        {"first": first},
        code="BAD_USER_INPUT",
        mentions=("`first`", "100", str(first)),
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "nope",
        "",
        "!!!",
        base64.urlsafe_b64encode(b"hello").decode(),
        base64.urlsafe_b64encode(b'{"after": 1}').decode(),
        encode_cursor("CREATED_AT_ASC"),
        encode_cursor("CREATED_AT_ASC", "2024-05-01T12:00:00+00:00"),
        encode_cursor("CREATED_AT_ASC", "2024-05-01T12:00:00+00:00", "id", "extra"),
        encode_cursor("CREATED_AT_ASC", "yesterday", "some-id"),
        encode_cursor("CREATED_AT_ASC", 20240501, "some-id"),
    ],
    ids=[
        "not-base64-json",
        "empty",
        "punctuation",
        "base64-of-text",
        "base64-of-an-object",
        "no-key-values",
        "too-few-values",
        "too-many-values",
        "not-a-timestamp",
        "a-number-for-a-timestamp",
    ],
)
async def test_a_cursor_this_api_did_not_issue_is_bad_user_input(
    users: GraphQLClient, cursor: str
) -> None:
    await create_users(users, 1)

    await expect_error(
        users,
        USERS_PAGE,
        {"first": 2, "after": cursor},
        code="BAD_USER_INPUT",
        mentions=("`after`", "cursor"),
    )


async def test_a_cursor_of_another_ordering_is_bad_user_input(users: GraphQLClient) -> None:
    [ada] = await create_users(users, 1)
    cursor = encode_cursor("CREATED_AT_DESC", ada["createdAt"], ada["id"])

    await expect_error(
        users,
        USERS_PAGE,
        {"first": 2, "after": cursor},
        code="BAD_USER_INPUT",
        mentions=("`after`", "CREATED_AT_DESC"),
    )


@pytest.mark.xfail(
    strict=True,
    reason="BUG: a cursor timestamp that overflows on conversion to UTC is an internal error "
    "(OverflowError in UTCDateTime.process_bind_param), not BAD_USER_INPUT",
)
@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
async def test_a_cursor_timestamp_out_of_range_is_bad_user_input(
    users: GraphQLClient, timestamp: str
) -> None:
    await expect_error(
        users,
        USERS_PAGE,
        {"first": 2, "after": encode_cursor("CREATED_AT_ASC", timestamp, "some-id")},
        code="BAD_USER_INPUT",
        mentions=("`after`",),
    )
