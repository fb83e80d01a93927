"""InProcessTransport over the real users subgraph, on SQLite and Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from router.transport import InProcessTransport, SubgraphRequest
from tests.support.apps import serve_in_process
from tests.support.auth import as_admin

PUBLIC_SDL = Path(__file__).parents[3] / "schema" / "users.graphql"

CREATE_USER = """
query Unused { __typename }
mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id name email } }
"""

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name email } }
}
"""


@pytest.fixture
async def transport(users_url: str) -> AsyncIterator[InProcessTransport]:
    async with (
        serve_in_process("users", users_url) as (app, _http),
        InProcessTransport({"users": app}) as transport,
    ):
        yield transport


async def create_user(transport: InProcessTransport, name: str, email: str) -> dict[str, str]:
    request = SubgraphRequest(
        CREATE_USER,
        {"input": {"name": name, "email": email}},
        operation_name="CreateUser",
        headers=as_admin(),
    )
    response = await transport.send("users", request)
    assert response.errors == [], response.errors
    assert response.data is not None
    user: dict[str, str] = response.data["createUser"]
    return user


async def test_the_service_sdl_comes_back_as_data(transport: InProcessTransport) -> None:
    response = await transport.send("users", SubgraphRequest("{ _service { sdl } }"))

    assert response.status == 200
    assert response.errors == []
    assert response.data is not None
    assert response.data["_service"]["sdl"].strip() == PUBLIC_SDL.read_text().strip()
    assert response.headers["content-type"].startswith("application/json")


async def test_a_created_user_resolves_as_an_entity(transport: InProcessTransport) -> None:
    ada = await create_user(transport, "Ada", "ada@example.com")
    representations = [{"__typename": "User", "id": ada["id"]}, {"__typename": "User", "id": "x"}]

    # Signed in: the entity's email is for signed-in callers only.
    response = await transport.send(
        "users",
        SubgraphRequest(ENTITIES, {"representations": representations}, headers=as_admin()),
    )

    assert ada["name"] == "Ada"
    assert response.data == {"_entities": [ada, None]}
    assert response.errors == []


async def test_a_graphql_error_comes_back_in_errors_not_raised(
    transport: InProcessTransport,
) -> None:
    await create_user(transport, "Ada", "ada@example.com")
    duplicate = SubgraphRequest(
        CREATE_USER,
        {"input": {"name": "Ada again", "email": "ADA@example.com"}},
        operation_name="CreateUser",
        headers=as_admin(),
    )

    conflict = await transport.send("users", duplicate)
    invalid = await transport.send("users", SubgraphRequest("{ nope }"))

    assert conflict.data is None
    assert [error["extensions"]["code"] for error in conflict.errors] == ["CONFLICT"]
    assert conflict.errors[0]["path"] == ["createUser"]
    assert invalid.data is None
    assert [error["extensions"]["code"] for error in invalid.errors] == [
        "GRAPHQL_VALIDATION_FAILED"
    ]
