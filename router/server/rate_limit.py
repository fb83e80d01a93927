"""Rate limiting per caller at the router: 429 with Retry-After and a RATE_LIMITED error.

The caller is the verified identity the authentication middleware put in the request's
state (key ``user:<subject>``), or the client's IP address when it sent no token
(``ip:<address>``). Behind a proxy, run uvicorn with ``--proxy-headers`` and
``--forwarded-allow-ips`` so the address is the client's, not the proxy's. Only GraphQL
requests count (``/graphql``); health checks and metrics are never limited. Every
operation of a batched POST counts: the request takes the first token, and each further
entry takes one more before it runs (router/server/batch.py); an entry past the caller's
tokens is answered RATE_LIMITED in its place, so a batch carries no more guesses than as
many requests would.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from contextvars import ContextVar
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

# The buckets and caller key of the request being served, for the entries of a batch.
_allowance: ContextVar[tuple[Buckets, str] | None] = ContextVar("allowance", default=None)


async def take_another() -> float:
    """Take one more token for the request being served: 0 when granted, else seconds to wait.

    Outside rate limiting (off, or not a rate-limited path) every entry is granted.
    """
    allowance = _allowance.get()
    if allowance is None:
        return 0.0
    buckets, key = allowance
    return await buckets.take(key)


def limit_message(per_minute: int, seconds: int) -> str:
    """The RATE_LIMITED error's message."""
    return f"Rate limit exceeded: more than {per_minute} requests a minute; retry in {seconds} s."


def current_per_minute() -> int:
    """The rate of the request being served (0 when it is not limited)."""
    allowance = _allowance.get()
    return allowance[0].per_minute if allowance is not None else 0


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
        key = caller_key(scope)
        wait = await self.buckets.take(key)
        if wait <= 0:
            token = _allowance.set((self.buckets, key))
            try:
                await self.app(scope, receive, send)
            finally:
                _allowance.reset(token)
            return
        seconds = retry_after(wait)
        body = error_body(limit_message(self.buckets.per_minute, seconds), code=RATE_LIMITED)
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
