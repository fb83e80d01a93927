"""Subgraph transports shared across supergraph reloads, one per (subgraph, URL).

A reload builds a new pipeline while the old one finishes its requests. Both route to
the same subgraphs, mostly at the same URLs, so they share one transport per (subgraph,
URL): its pooled connections and its circuit breaker survive the reload. Each pipeline
holds a lease on the transports of its URLs; a transport is closed when the last lease
on it is given back, so a subgraph whose URL changed keeps its old connections until the
old pipeline's last request ends, and not longer.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from functools import partial

from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)

# (subgraph name, URL) -> the transport that calls that subgraph there.
ChainFactory = Callable[[str, str], SubgraphTransport]
Route = tuple[str, str]


class SubgraphClients:
    """Makes, shares and closes the transports of every (subgraph, URL) in use."""

    def __init__(self, make: ChainFactory) -> None:
        self._make = make
        self._transports: dict[Route, SubgraphTransport] = {}
        self._leases: Counter[Route] = Counter()

    def lease(self, urls: Mapping[str, str]) -> LeasedTransport:
        """A transport to the subgraphs at ``urls``; closing it gives the lease back."""
        routes = {name: (name, url) for name, url in urls.items()}
        for route in routes.values():
            if route not in self._transports:
                self._transports[route] = self._make(*route)
            self._leases[route] += 1
        return LeasedTransport(
            {name: self._transports[route] for name, route in routes.items()},
            release=partial(self._release, list(routes.values())),
        )

    def open_routes(self) -> list[Route]:
        """The (subgraph, URL) pairs with an open transport, sorted."""
        return sorted(self._transports)

    async def _release(self, routes: list[Route]) -> None:
        closing = []
        for route in routes:
            self._leases[route] -= 1
            if self._leases[route] <= 0:
                del self._leases[route]
                closing.append(self._transports.pop(route))
        await asyncio.gather(*(transport.aclose() for transport in closing))

    async def aclose(self) -> None:
        """Close every transport, leased or not (the process is stopping)."""
        transports = list(self._transports.values())
        self._transports.clear()
        self._leases.clear()
        await asyncio.gather(*(transport.aclose() for transport in transports))


class LeasedTransport:
    """Sends each subgraph's calls through its shared transport; ``aclose`` ends the lease."""

    def __init__(
        self,
        routes: Mapping[str, SubgraphTransport],
        *,
        release: Callable[[], Awaitable[None]],
    ) -> None:
        self._routes = dict(routes)
        self._release = release
        self._closed = False

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send ``request`` to ``subgraph`` (SUBGRAPH_UNAVAILABLE if it has no URL here)."""
        transport = self._routes.get(subgraph)
        if transport is None:
            raise TransportError(
                subgraph, f"no URL for subgraph {subgraph!r}", code="SUBGRAPH_UNAVAILABLE"
            )
        return await transport.send(subgraph, request)

    async def aclose(self) -> None:
        """Give the lease back (once); transports no other lease holds are closed."""
        if self._closed:
            return
        self._closed = True
        await self._release()
