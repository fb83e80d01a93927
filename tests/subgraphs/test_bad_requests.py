"""What each malformed request gets from a subgraph: a clear error, never a 500."""

from __future__ import annotations

from fastapi import FastAPI

from tests.support.graphql import GraphQLClient

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }"


async def test_malformed_representations_fail_alone_with_bad_user_input(
    users_app: tuple[FastAPI, GraphQLClient],
) -> None:
    _app, client = users_app
    representations = [
        {"__typename": "Nope", "id": "1"},
        {"__typename": "User"},
        5,
        {"__typename": "User", "id": "unknown"},
    ]
    body = await client.execute(ENTITIES, {"r": representations})
    assert body["data"] == {"_entities": [None, None, None, None]}
    by_slot = {error["path"][1]: error for error in body["errors"]}
    assert sorted(by_slot) == [0, 1, 2]  # an unknown id is null without an error
    assert all(error["extensions"]["code"] == "BAD_USER_INPUT" for error in by_slot.values())
    assert "'Nope' is not an entity type" in by_slot[0]["message"]
    assert "do not match its @key" in by_slot[1]["message"]


async def test_body_that_is_not_json_gets_400(users_app: tuple[FastAPI, GraphQLClient]) -> None:
    _app, client = users_app
    response = await client.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.text


async def test_body_without_query_gets_400(users_app: tuple[FastAPI, GraphQLClient]) -> None:
    _app, client = users_app
    response = await client.http.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
    assert "No GraphQL query" in response.text
