"""What the server asks of the request pipeline, and what it gets back.

The server owns HTTP (methods, bodies, content types, status codes); the pipeline owns
GraphQL (parse, validate, plan, execute). ``Outcome.phase`` tells the server whether the
request failed before execution, which decides the status code under the
GraphQL-over-HTTP spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from router.auth.identity import Identity

Phase = Literal["request", "parse", "validate", "execute"]

NO_STORE = "no-store"
"""The ``Cache-Control`` of every answer no cache may keep."""


@dataclass(frozen=True)
class GraphQLRequest:
    """A client's GraphQL request, as the server decoded it."""

    query: str | None
    operation_name: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    method: Literal["GET", "POST"] = "POST"
    # The caller the router's authentication verified; None when anonymous.
    identity: Identity | None = None


@dataclass(frozen=True)
class Outcome:
    """The pipeline's answer: the GraphQL response body and where it stopped.

    ``phase`` is "execute" when execution ran (even with errors), otherwise the phase that
    rejected the request: "request" (e.g. a mutation over GET, or an operation name that
    does not exist), "parse" or "validate".
    """

    body: dict[str, Any]
    phase: Phase = "execute"
    # Set when a GET carried a mutation: the server answers 405.
    mutation_over_get: bool = False
    # The answer's Cache-Control (router/cache/response_policy.py); refusals: no-store.
    cache_control: str = NO_STORE


class Pipeline(Protocol):
    """Runs GraphQL requests for the server."""

    async def execute(self, request: GraphQLRequest) -> Outcome:
        """Run one request."""
        ...

    async def ready(self) -> bool:
        """Whether the router can serve: supergraph loaded and subgraphs reachable."""
        ...
