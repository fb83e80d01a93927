"""HTTP-level request errors: the request is not a well-formed GraphQL-over-HTTP request.

They are raised while decoding a request, before the pipeline sees it, and answered with
a GraphQL error body (``{"errors": [{"message", "extensions": {"code"}}]}``) and their
own status code, whatever the response media type (GraphQL over HTTP, "Status Codes":
a request that is not well-formed gets a ``4xx``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

BAD_REQUEST: Final = "BAD_REQUEST"
"""Code of every HTTP-level request error, as Apollo Server uses it; the status says more."""


class RequestError(Exception):
    """A request the server rejects before running it; ``status`` is its HTTP status."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        code: str = BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.headers: Mapping[str, str] = headers or {}

    def body(self) -> dict[str, Any]:
        """The GraphQL response body carrying this error."""
        return error_body(self.message, code=self.code)


def error_body(message: str, *, code: str) -> dict[str, Any]:
    """Return a GraphQL response body with one error and its ``extensions.code``."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}
