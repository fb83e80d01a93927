"""Batched POSTs: a JSON array of requests answered by a JSON array of responses, in order
(the router over the real subgraphs, on SQLite and Postgres)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from router.operation.limits import OperationLimits
from tests.router.limits.router_app import Router, router_app

SIGN_UP = "mutation($i: SignUpInput!) { signUp(input: $i) { user { name } } }"
ADA = {"name": "Ada", "email": "ada@example.com", "password": "analytical engine"}
COUNT = "{ users(first: 5) { totalCount } }"


@pytest.fixture
async def router(users_url: str, tasks_url: str) -> AsyncIterator[Router]:
    async with router_app(
        users_url, tasks_url, limits=OperationLimits(max_depth=3), max_batch=4
    ) as router:
        yield router


async def test_entries_run_in_order_and_answer_in_an_array(router: Router) -> None:
    response = await router.post(
        [
            {"query": COUNT},
            {"query": SIGN_UP, "variables": {"i": ADA}},
            {"query": COUNT, "operationName": None},
        ]
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert response.json() == [
        {"data": {"users": {"totalCount": 0}}},
        {"data": {"signUp": {"user": {"name": "Ada"}}}},
        {"data": {"users": {"totalCount": 1}}},
    ]


async def test_each_entry_fails_on_its_own(router: Router) -> None:
    response = await router.post(
        [
            {"query": COUNT},
            "{ users { totalCount } }",
            {"query": "{ users { edges { node { name } } } }"},
            {"qeury": COUNT},
        ],
        accept="application/json",
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    first, not_an_object, too_deep, no_query = response.json()
    assert first == {"data": {"users": {"totalCount": 0}}}
    assert not_an_object["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
    assert "Each entry of a batch must be a JSON object" in not_an_object["errors"][0]["message"]
    assert too_deep == {
        "errors": [
            {
                "message": "Operation depth: 4, over the limit of 3.",
                "extensions": {"code": "MAX_DEPTH_EXCEEDED"},
            }
        ]
    }
    assert no_query["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


async def test_a_batch_over_the_limit_is_refused_whole(router: Router) -> None:
    response = await router.post([{"query": SIGN_UP, "variables": {"i": ADA}}] * 5)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Batch size: 5 operations, over the limit of 4.",
                "extensions": {"code": "BATCH_LIMIT_EXCEEDED"},
            }
        ]
    }
    # Nothing ran.
    count = await router.post({"query": COUNT})
    assert count.json() == {"data": {"users": {"totalCount": 0}}}


async def test_an_empty_batch_is_a_bad_request(router: Router) -> None:
    response = await router.post([])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
