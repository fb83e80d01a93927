"""Subgraphs trust only the router: ``/graphql`` requires the router's shared secret.

With ``FEDTASKS_SUBGRAPH_SECRET`` set, a request to ``/graphql`` without a matching
``x-fedtasks-router-secret`` header is answered 401 with a GraphQL error coded
UNAUTHENTICATED, so nothing outside the router can call ``_entities`` or claim an identity
in the router's headers. ``/health``, ``/ready`` and ``/metrics`` stay open.
"""

from __future__ import annotations

import hmac

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from subgraphs.common.caller import ROUTER_SECRET_HEADER
from subgraphs.common.errors import UNAUTHENTICATED

PROTECTED_PATH = "/graphql"
_HEADER = ROUTER_SECRET_HEADER.encode()


class RouterSecretMiddleware:
    """Refuse ``/graphql`` requests that do not carry the router's secret."""

    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.secret = secret.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request if it carries the secret; answer 401 otherwise."""
        if scope["type"] != "http" or not _protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        offered = next((v for k, v in scope["headers"] if k.lower() == _HEADER), b"")
        # Constant time, so the secret cannot be guessed a byte at a time.
        if hmac.compare_digest(offered, self.secret):
            await self.app(scope, receive, send)
            return
        await _refuse(send)


def _protected(path: str) -> bool:
    return path == PROTECTED_PATH or path.startswith(PROTECTED_PATH + "/")


async def _refuse(send: Send) -> None:
    message = "This subgraph answers the router only: the router's secret is missing or wrong."
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": UNAUTHENTICATED}}]})
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
