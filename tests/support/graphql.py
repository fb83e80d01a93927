"""A small GraphQL-over-HTTP client for tests, on any httpx client (ASGI or real HTTP)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class GraphQLClient:
    """Posts operations to ``/graphql`` and checks the shape of the answer."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        path: str = "/graphql",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.http = http
        self.path = path
        self.headers = dict(headers or {})

    def acting_as(self, headers: Mapping[str, str]) -> GraphQLClient:
        """A client of the same server sending ``headers`` too (e.g. a caller's identity)."""
        return GraphQLClient(self.http, self.path, {**self.headers, **headers})

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole JSON response; the HTTP status must be 200."""
        response = await self.http.post(
            self.path, json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The response's data; fails the test if there are errors."""
        body = await self.execute(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The response's single error; fails the test unless exactly one came back."""
        body = await self.execute(query, variables)
        errors = body.get("errors")
        assert errors, body
        assert len(errors) == 1, body
        error: dict[str, Any] = errors[0]
        assert "traceback" not in str(error).lower()
        return error

    async def error_code(self, query: str, variables: dict[str, Any] | None = None) -> str:
        """The ``extensions.code`` of the response's single error."""
        code: str = (await self.error(query, variables))["extensions"]["code"]
        return code
