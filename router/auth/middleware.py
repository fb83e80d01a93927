"""The authentication step of the router: a pure ASGI middleware on the GraphQL endpoint.

No ``Authorization`` header: the request goes on anonymous. ``Authorization: Bearer
<jwt>`` with a token that verifies: the request goes on with its :class:`Identity` in the
scope's state (:data:`STATE_KEY`). Anything else (another scheme, a malformed, expired or
forged token) is answered here, 401 with a GraphQL error coded UNAUTHENTICATED and a
``WWW-Authenticate`` challenge (RFC 6750 section 3); the pipeline never runs. Other paths
(``/health``, ``/ready``, ``/metrics``, GraphiQL's assets, the admin endpoint with its own
token) pass untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from router.auth.errors import AuthenticationError
from router.auth.identity import STATE_KEY
from router.auth.verify import TokenVerifier
from router.server.app import GRAPHQL_PATH
from router.server.errors import error_body
from router.server.http import graphql_response
from router.server.media_types import APPLICATION_JSON, negotiate

CHALLENGE = 'Bearer error="invalid_token"'


class AuthenticationMiddleware:
    """Verify the bearer token of requests to the GraphQL endpoint."""

    def __init__(
        self, app: ASGIApp, verifier: TokenVerifier, paths: Iterable[str] = (GRAPHQL_PATH,)
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate, then serve; or answer 401 for credentials that do not verify."""
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state.pop(STATE_KEY, None)
        values = [v for k, v in scope["headers"] if k.lower() == b"authorization"]
        if values:
            try:
                state[STATE_KEY] = await self.verifier.verify(_bearer_token(values))
            except AuthenticationError as refusal:
                await _refuse(refusal, scope, receive, send)
                return
        await self.app(scope, receive, send)


def _bearer_token(values: list[bytes]) -> str:
    """The token of the one ``Authorization: Bearer <token>`` header (RFC 6750 section 2.1)."""
    if len(values) > 1:
        raise AuthenticationError("Send one Authorization header, not several.")
    scheme, _, token = values[0].decode("latin-1").strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthenticationError("The Authorization header must be 'Bearer <token>'.")
    token = token.strip()
    if not token:
        raise AuthenticationError("The Authorization header carries no token.")
    return token


async def _refuse(refusal: AuthenticationError, scope: Scope, receive: Receive, send: Send) -> None:
    accept = next((v for k, v in scope["headers"] if k.lower() == b"accept"), None)
    media_type = negotiate(accept.decode("latin-1") if accept else None) or APPLICATION_JSON
    headers = {"WWW-Authenticate": CHALLENGE} if refusal.status == 401 else {}
    response = graphql_response(
        error_body(refusal.message, code=refusal.code),
        media_type=media_type,
        status=refusal.status,
        headers=headers,
    )
    await response(scope, receive, send)
