"""The tokens signUp and login hand out: HS256 JWTs the router verifies (PyJWT).

``sub`` is the user's id, ``scope`` is ``member`` (``member admin`` for an ADMIN),
``iss`` is FEDTASKS_JWT_ISSUER, and the token expires FEDTASKS_JWT_TTL_SECONDS after
``iat``. The router holds the same FEDTASKS_JWT_SECRET.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from subgraphs.common.caller import ADMIN_SCOPE, MEMBER_SCOPE
from subgraphs.common.errors import PublicError

AUTH_NOT_CONFIGURED = "AUTH_NOT_CONFIGURED"


class AuthNotConfigured(PublicError):
    """signUp or login on a users subgraph that has no FEDTASKS_JWT_SECRET to sign with."""

    code = AUTH_NOT_CONFIGURED


@dataclass(frozen=True)
class TokenIssuer:
    """Signs a user's token with the configured secret, issuer and lifetime."""

    secret: str | None
    issuer: str = "fedtasks"
    ttl_seconds: int = 3600

    def require(self) -> None:
        """AUTH_NOT_CONFIGURED unless a secret is configured (checked before any change)."""
        if not self.secret:
            raise AuthNotConfigured(
                "Sign-in is not configured on this server (FEDTASKS_JWT_SECRET is not set)."
            )

    def issue(self, *, user_id: str, role: str) -> str:
        """A fresh token for the user."""
        self.require()
        assert self.secret is not None
        scopes = [MEMBER_SCOPE, ADMIN_SCOPE] if role == "ADMIN" else [MEMBER_SCOPE]
        now = int(time.time())
        claims = {
            "sub": user_id,
            "scope": " ".join(scopes),
            "iss": self.issuer,
            "iat": now,
            "exp": now + self.ttl_seconds,
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")
