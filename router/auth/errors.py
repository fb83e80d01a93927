"""Why the router refuses a caller's credentials: one error type, one client-facing code."""

from __future__ import annotations

from typing import Final

UNAUTHENTICATED: Final = "UNAUTHENTICATED"
"""``extensions.code`` of every refused credential (Apollo Server's code for it)."""


KEYS_UNAVAILABLE: Final = "AUTH_KEYS_UNAVAILABLE"
"""``extensions.code`` when the JWKS URL cannot be reached and no keys are known yet."""


class AuthenticationError(Exception):
    """A token or Authorization header the router refuses; ``message`` is for the client.

    Messages say what is wrong with the credential and never repeat the credential itself.
    """

    status = 401
    code = UNAUTHENTICATED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KeysUnavailable(AuthenticationError):
    """The key set cannot be fetched, so no token can be checked: the router's fault (503)."""

    status = 503
    code = KEYS_UNAVAILABLE
