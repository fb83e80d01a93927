"""Who is calling a subgraph: the identity the router verified and put in headers.

Subgraphs never see tokens. The router verifies the caller's token and sends the subject
and scopes in headers it sets itself, dropping any a client sent; in production mode
these headers are trusted only because every request must carry the router's shared
secret (``subgraphs.common.router_secret``). The names are the router's
(router/auth/identity.py), repeated here because subgraphs never import the router.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

USER_ID_HEADER: Final = "x-fedtasks-user-id"
SCOPES_HEADER: Final = "x-fedtasks-scopes"
ROUTER_SECRET_HEADER: Final = "x-fedtasks-router-secret"
ADMIN_SCOPE: Final = "admin"
MEMBER_SCOPE: Final = "member"


@dataclass(frozen=True)
class Caller:
    """A signed-in caller: the user's id and the scopes of their token."""

    user_id: str
    scopes: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        """Whether the caller holds the ``admin`` scope."""
        return ADMIN_SCOPE in self.scopes


def caller_from(headers: Mapping[str, str]) -> Caller | None:
    """The caller the router named in ``headers``, or None for an anonymous request."""
    user_id = headers.get(USER_ID_HEADER, "").strip()
    if not user_id:
        return None
    return Caller(user_id, frozenset(headers.get(SCOPES_HEADER, "").split()))
