"""SubgraphTransport over HTTP: one pooled httpx client per subgraph, GraphQL over HTTP POST.

httpx errors never cross this module: they become TransportError with a stable code, the
way httpx turns httpcore's errors into its own at its boundary (``map_httpcore_exceptions``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any, Self

import httpx
import orjson

from router.transport.base import SubgraphRequest, SubgraphResponse, TransportError

# GraphQL over HTTP, "Request" and "Accept": the body is JSON, and the newer media type is
# preferred because its status codes describe the request, not just the transport.
PROTOCOL_HEADERS = {
    "content-type": "application/json",
    "accept": "application/graphql-response+json, application/json",
}


class HttpTransport:
    """Sends operations to subgraphs by URL, keeping connections alive between requests.

    ``timeout`` bounds a whole exchange (connect, send, wait, read), and ``timeouts`` sets
    it per subgraph for those it names (a slow reporting subgraph may get longer than the
    rest); ``connect_timeout`` bounds opening a connection. ``headers`` go with every
    request; a request's own headers override them. ``transports`` replaces the network
    for the subgraphs it names (see ``InProcessTransport``); the connection limits then do
    not apply to those subgraphs.
    """

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout: float = 10.0,
        timeouts: Mapping[str, float] | None = None,
        connect_timeout: float = 2.0,
        max_connections: int = 100,
        max_keepalive: int = 20,
        headers: Mapping[str, str] | None = None,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self._urls = dict(urls)
        self._timeouts = {name: (timeouts or {}).get(name, timeout) for name in self._urls}
        transports = transports or {}
        self._clients = {
            name: httpx.AsyncClient(
                timeout=httpx.Timeout(
                    self._timeouts[name], connect=min(connect_timeout, self._timeouts[name])
                ),
                limits=httpx.Limits(
                    max_connections=max_connections, max_keepalive_connections=max_keepalive
                ),
                headers=headers,
                transport=transports.get(name),
                cookies=_no_cookies(),
            )
            for name in self._urls
        }

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """POST ``request`` to ``subgraph`` and return its GraphQL answer.

        A 4xx or 5xx answer that is a GraphQL response is returned, not raised: GraphQL over
        HTTP sends request errors that way, and the executor reports them as the subgraph's.
        """
        client = self._clients.get(subgraph)
        if client is None:
            raise TransportError(
                subgraph, f"no URL for subgraph {subgraph!r}", code="SUBGRAPH_UNAVAILABLE"
            )
        body = {
            "query": request.query,
            "variables": dict(request.variables),
            "operationName": request.operation_name,
        }
        headers = httpx.Headers(request.headers)
        headers.update(PROTOCOL_HEADERS)
        with _httpx_errors_as_transport_errors(subgraph):
            # httpx's timeouts are per phase; this deadline is for the whole exchange, so a
            # subgraph that trickles its answer cannot hold the query past ``timeout``.
            async with asyncio.timeout(self._timeouts[subgraph]):
                response = await client.post(
                    self._urls[subgraph], content=orjson.dumps(body), headers=headers
                )
        return _graphql_response(subgraph, response)

    async def aclose(self) -> None:
        """Close every subgraph's connections."""
        await asyncio.gather(*(client.aclose() for client in self._clients.values()))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing.

    One client carries every caller's subgraph calls, so a cookie a subgraph set for one
    caller must not go back with another caller's call.
    """
    # A jar, not an httpx.Cookies: the client copies a Cookies' cookies into a jar of its own
    # with the default policy, but keeps a jar it is given.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


@contextmanager
def _httpx_errors_as_transport_errors(subgraph: str) -> Iterator[None]:
    """Turn httpx's (and the deadline's) exceptions into TransportError with a code."""
    try:
        yield
    except (httpx.TimeoutException, TimeoutError) as error:
        raise TransportError(subgraph, "timed out", code="SUBGRAPH_TIMEOUT") from error
    except httpx.TransportError as error:
        # Refused, DNS, reset or closed before answering: the subgraph is not there.
        message = f"unreachable ({type(error).__name__}: {error})"
        raise TransportError(subgraph, message, code="SUBGRAPH_UNAVAILABLE") from error
    except httpx.RequestError as error:
        # It answered, but the body could not be decoded (a broken content-encoding).
        message = f"unreadable answer ({type(error).__name__}: {error})"
        raise TransportError(subgraph, message, code="SUBREQUEST_HTTP_ERROR") from error


def _graphql_response(subgraph: str, response: httpx.Response) -> SubgraphResponse:
    """The GraphQL response in ``response``'s body; TransportError if there is none."""
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    try:
        body: Any = orjson.loads(response.content)
    except orjson.JSONDecodeError as error:
        raise TransportError(
            subgraph,
            f"{status}: the body is not JSON",
            code="SUBREQUEST_HTTP_ERROR",
            status=response.status_code,
        ) from error
    if not _is_graphql_response(body):
        raise TransportError(
            subgraph,
            f"{status}: the body is not a GraphQL response",
            code="SUBREQUEST_HTTP_ERROR",
            status=response.status_code,
        )
    return SubgraphResponse(
        data=body.get("data"),
        errors=body.get("errors") or [],
        extensions=body.get("extensions") or {},
        status=response.status_code,
        headers=dict(response.headers),
    )


def _is_graphql_response(body: Any) -> bool:
    """Whether ``body`` has the shape of a GraphQL response (spec, "Response Format")."""
    if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
        return False
    data, errors, extensions = body.get("data"), body.get("errors"), body.get("extensions")
    if errors is not None and not (
        isinstance(errors, list) and all(isinstance(error, dict) for error in errors)
    ):
        return False
    return (data is None or isinstance(data, dict)) and (
        extensions is None or isinstance(extensions, dict)
    )
