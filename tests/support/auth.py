"""Acting as a signed-in user in tests: the router's identity headers, and real tokens.

On a subgraph, the caller is whoever the router's headers name (``as_user``); through
the router, a request carries a JWT signed with :data:`JWT_SECRET`, as the users
subgraph's signUp and login sign them (``bearer``).
"""

from __future__ import annotations

import time

import jwt

JWT_SECRET = "tests-jwt-secret-at-least-thirty-two-bytes"
"""FEDTASKS_JWT_SECRET of every app and process the tests start."""

SUBGRAPH_SECRET = "tests-router-to-subgraph-secret"
"""FEDTASKS_SUBGRAPH_SECRET of every process the tests start."""

ROUTER_SECRET_HEADER = "x-fedtasks-router-secret"
MEMBER = ("member",)
ADMIN = ("member", "admin")


def as_user(user_id: str, *scopes: str) -> dict[str, str]:
    """The headers the router sets for a signed-in ``user_id`` (scopes default to member)."""
    return {"x-fedtasks-user-id": user_id, "x-fedtasks-scopes": " ".join(scopes or MEMBER)}


def as_admin(user_id: str = "admin-of-the-tests") -> dict[str, str]:
    """The router's headers for an admin."""
    return as_user(user_id, *ADMIN)


def token(user_id: str, *scopes: str, secret: str = JWT_SECRET, ttl: int = 3600) -> str:
    """A JWT for ``user_id`` as the users subgraph signs them (HS256, issuer fedtasks)."""
    now = int(time.time())
    claims = {
        "sub": user_id,
        "scope": " ".join(scopes or MEMBER),
        "iss": "fedtasks",
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def bearer(user_id: str, *scopes: str) -> dict[str, str]:
    """An Authorization header with a fresh token for ``user_id``."""
    return {"authorization": f"Bearer {token(user_id, *scopes)}"}
