"""Rate limiting per caller at the router: 429 with Retry-After and a RATE_LIMITED error.

The caller is the verified identity the authentication middleware put in the request's
state (key ``user:<subject>``), or the client's IP address when it sent no token
(``ip:<address>``). Behind a proxy, run uvicorn with ``--proxy-headers`` and
``--forwarded-allow-ips`` so the address is the client's, not the proxy's. Only GraphQL
requests count (``/graphql``); health checks and metrics are never limited. A batched POST
counts once: FEDTASKS_MAX_BATCH bounds what one request can carry.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Final

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from router.auth.identity import identity_of
from router.server.errors import error_body
from router.server.http import graphql_response
from router.server.media_types import APPLICATION_JSON, negotiate
from router.server.rate_limit_buckets import (
    Buckets,
    FailOpenBuckets,
    MemoryBuckets,
    RedisBuckets,
    retry_after,
)

RATE_LIMITED: Final = "RATE_LIMITED"


def caller_key(scope: MutableMapping[str, Any]) -> str:
    """``user:<subject>`` for a verified caller, else ``ip:<client address>``."""
    identity = identity_of(scope)
    if identity is not None:
        return f"user:{identity.subject}"
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"


class RateLimitMiddleware:
    """Refuse a caller's GraphQL requests beyond its bucket (plain ASGI middleware)."""

    def __init__(
        self, app: ASGIApp, *, buckets: Buckets, paths: tuple[str, ...] = ("/graphql",)
    ) -> None:
        self.app = app
        self.buckets = buckets
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 429 when its caller has no token left."""
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        wait = await self.buckets.take(caller_key(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = retry_after(wait)
        body = error_body(
            f"Rate limit exceeded: more than {self.buckets.per_minute} requests a minute; "
            f"retry in {seconds} s.",
            code=RATE_LIMITED,
        )
        media_type = negotiate(Headers(scope=scope).get("accept")) or APPLICATION_JSON
        response = graphql_response(
            body, media_type=media_type, status=429, headers={"Retry-After": str(seconds)}
        )
        await response(scope, receive, send)


def rate_limit_middleware(
    per_minute: int, burst: int, *, redis_url: str | None, namespace: str = "fedtasks:"
) -> tuple[Middleware, Buckets] | None:
    """The rate limiting middleware and its buckets (close them on shutdown), or None if off.

    Buckets live in Redis at ``redis_url`` (failing open), else in this process.
    """
    if per_minute <= 0:
        return None
    buckets: Buckets
    if redis_url:
        buckets = FailOpenBuckets(RedisBuckets(redis_url, per_minute, burst, namespace=namespace))
    else:
        buckets = MemoryBuckets(per_minute, burst)
    return Middleware(RateLimitMiddleware, buckets=buckets), buckets
