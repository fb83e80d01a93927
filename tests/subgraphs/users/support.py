"""Helpers the users subgraph tests share: creating users and checking errors."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.support.auth import as_user
from tests.support.graphql import GraphQLClient

USER_FIELDS = "id name email role createdAt"

CREATE_USER = f"""
mutation($input: CreateUserInput!) {{
  createUser(input: $input) {{ {USER_FIELDS} }}
}}
"""

UPDATE_USER = f"""
mutation($id: ID!, $input: UpdateUserInput!) {{
  updateUser(id: $id, input: $input) {{ {USER_FIELDS} }}
}}
"""

DELETE_USER = "mutation($id: ID!) { deleteUser(id: $id) }"

GET_USER = f"query($id: ID!) {{ user(id: $id) {{ {USER_FIELDS} }} }}"

USERS_PAGE = f"""
query($first: Int, $after: String) {{
  users(first: $first, after: $after) {{
    edges {{ cursor node {{ {USER_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
    totalCount
  }}
}}
"""

# The only extensions an error may carry: nothing that leaks the server's internals.
ALLOWED_EXTENSIONS = {"code", "field", "requestId"}


async def create_user(
    users: GraphQLClient, name: str = "Ada Lovelace", email: str = "ada@example.com", **fields: Any
) -> dict[str, Any]:
    """Create one user through the API and return it."""
    data = await users.data(CREATE_USER, {"input": {"name": name, "email": email, **fields}})
    user: dict[str, Any] = data["createUser"]
    return user


async def create_users(users: GraphQLClient, count: int) -> list[dict[str, Any]]:
    """Create ``count`` users, one after the other, in a single request."""
    if count == 0:
        return []
    fields = "\n".join(
        f'u{i}: createUser(input: {{name: "User {i}", email: "user{i}@example.com"}})'
        f" {{ {USER_FIELDS} }}"
        for i in range(count)
    )
    data = await users.data(f"mutation {{ {fields} }}")
    return [data[f"u{i}"] for i in range(count)]


async def get_user(users: GraphQLClient, user_id: str) -> dict[str, Any] | None:
    """The user with ``user_id``, or None (read signed in: email and role need it)."""
    reader = (
        users.acting_as(as_user("a-reader")) if "x-fedtasks-user-id" not in users.headers else users
    )
    user: dict[str, Any] | None = (await reader.data(GET_USER, {"id": user_id}))["user"]
    return user


async def users_page(
    users: GraphQLClient, first: int | None = None, after: str | None = None
) -> dict[str, Any]:
    """One page of ``Query.users``."""
    page: dict[str, Any] = (await users.data(USERS_PAGE, {"first": first, "after": after}))["users"]
    return page


async def expect_error(
    users: GraphQLClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    code: str,
    mentions: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The single error of the response, checked: its code, its message, nothing internal."""
    error = await users.error(query, variables)
    assert error["extensions"]["code"] == code, error
    assert set(error["extensions"]) <= ALLOWED_EXTENSIONS, error
    for word in mentions:
        assert word in error["message"], error
    return error


def encode_cursor(*values: str | int) -> str:
    """A cursor in this API's format (base64 of a JSON list) holding ``values``."""
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode()
