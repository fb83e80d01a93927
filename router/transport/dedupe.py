"""In-flight deduplication: identical subgraph queries sent at the same time share one call.

When several client requests need the same subgraph query with the same variables and
forwarded headers at the same moment, only the first is sent (the forwarded headers carry
the caller's verified identity, so only callers of one identity ever share an answer:
two users' ``me`` sent at the same instant are two calls); the others wait for its
answer and get their own copy of it (the executor merges into what it receives). Mutations
are never shared. Hive, Cosmo and Apollo's router offer the same (router-landscape.md,
"in-flight request deduplication").
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import orjson

from router.transport.base import SubgraphRequest, SubgraphResponse, SubgraphTransport

Key = tuple[str, bytes]


@dataclass
class _InFlight:
    done: asyncio.Event = field(default_factory=asyncio.Event)
    waiters: int = 0
    body: bytes | None = None
    response: SubgraphResponse | None = None
    error: BaseException | None = None


class DedupingTransport:
    """Wraps a transport; shares in-flight identical queries."""

    def __init__(self, inner: SubgraphTransport) -> None:
        self.inner = inner
        self.in_flight: dict[Key, _InFlight] = {}
        self.shared = 0

    @staticmethod
    def _key(subgraph: str, request: SubgraphRequest) -> Key | None:
        if request.mutation or request.query.lstrip().startswith("mutation"):
            return None
        payload = [request.query, request.variables, request.operation_name, request.headers]
        return subgraph, orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=dict)

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send, or wait for the identical request already on its way."""
        key = self._key(subgraph, request)
        if key is None:
            return await self.inner.send(subgraph, request)
        flight = self.in_flight.get(key)
        if flight is not None:
            self.shared += 1
            flight.waiters += 1
            await flight.done.wait()
            return _copy(flight)
        flight = self.in_flight[key] = _InFlight()
        try:
            response = await self.inner.send(subgraph, request)
        except Exception as error:
            flight.error = error
            raise
        else:
            flight.response = response
            if flight.waiters:
                # Copy before the first caller starts merging into its own answer.
                flight.body = orjson.dumps([response.data, response.errors, response.extensions])
            return response
        finally:
            del self.in_flight[key]
            flight.done.set()

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


def _copy(flight: _InFlight) -> SubgraphResponse:
    if flight.error is not None:
        raise flight.error
    # Waiters register before the first call returns, so the copy was made for them.
    assert flight.response is not None
    assert flight.body is not None
    data, errors, extensions = orjson.loads(flight.body)
    return SubgraphResponse(
        data=data,
        errors=errors,
        extensions=extensions,
        status=flight.response.status,
        headers=flight.response.headers,
    )
