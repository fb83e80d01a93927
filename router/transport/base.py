"""The SubgraphTransport protocol and the types that cross it.

The executor only ever sees these: a request (operation, variables, headers) and a
response (the subgraph's GraphQL JSON), or a TransportError when the subgraph could not
be reached or did not answer GraphQL. Lower-level errors (httpx) are converted at the
boundary, as httpx's own ``map_httpcore_exceptions`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class SubgraphRequest:
    """One GraphQL operation for one subgraph.

    ``mutation`` is set by the executor from the plan's fetch: a mutation is never retried
    nor shared with another caller, since sending it twice could apply it twice.
    """

    query: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    mutation: bool = False


@dataclass(frozen=True)
class SubgraphResponse:
    """A subgraph's GraphQL answer: ``data``, ``errors`` and ``extensions`` as sent."""

    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


class TransportError(Exception):
    """The subgraph could not be reached, timed out, or did not answer with GraphQL JSON.

    ``code`` is the client-facing extensions.code: SUBREQUEST_HTTP_ERROR for a non-GraphQL
    HTTP answer, SUBGRAPH_UNAVAILABLE when unreachable, SUBGRAPH_TIMEOUT on a timeout,
    SUBGRAPH_CIRCUIT_OPEN when the circuit breaker refused the call without sending it.
    ``status`` is the HTTP status of a non-GraphQL answer (None when there was no answer):
    retries tell a failing server (5xx) from a request it refuses (4xx) by it.
    """

    def __init__(
        self, subgraph: str, message: str, *, code: str, status: int | None = None
    ) -> None:
        super().__init__(f"{subgraph}: {message}")
        self.subgraph = subgraph
        self.message = message
        self.code = code
        self.status = status


class SubgraphTransport(Protocol):
    """Sends operations to subgraphs by name."""

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send ``request`` to ``subgraph``; raises TransportError on failure."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
