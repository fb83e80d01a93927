"""A transport that asks each subgraph's circuit breaker before sending a call.

A call the circuit refuses fails at once with SUBGRAPH_CIRCUIT_OPEN and never reaches the
network; the executor reports it at the fetch's paths like any other subgraph failure. A
TransportError from the wrapped transport counts as a failure; any answer, including a
GraphQL answer with errors, counts as a success: the subgraph is up and speaking GraphQL.
"""

from __future__ import annotations

from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)
from router.transport.breaker import Breakers

CIRCUIT_OPEN = "SUBGRAPH_CIRCUIT_OPEN"


class BreakerTransport:
    """Wraps a transport; sends a call only if the subgraph's circuit admits it."""

    def __init__(self, inner: SubgraphTransport, breakers: Breakers) -> None:
        self.inner = inner
        self.breakers = breakers

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send ``request`` through ``subgraph``'s circuit; refused fast while it is open."""
        circuit = self.breakers.get(subgraph)
        ticket = circuit.acquire()
        if ticket is None:
            raise TransportError(subgraph, circuit.refusal(), code=CIRCUIT_OPEN)
        try:
            response = await self.inner.send(subgraph, request)
        except TransportError:
            circuit.failed(ticket)
            raise
        except BaseException:
            # Cancelled (the client went away) or a bug: no verdict on the subgraph.
            circuit.abandoned(ticket)
            raise
        circuit.succeeded(ticket)
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
