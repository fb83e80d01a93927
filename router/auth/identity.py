"""Who is calling: the identity the router verified, and how it travels.

The router verifies the caller's token once per HTTP request and keeps the result in the
ASGI scope's state under :data:`STATE_KEY` (``request.state.fedtasks_identity`` in
Starlette), where later stages read it (rate limiting keys on it). Subgraphs learn it
only from the headers the router sets itself (:data:`USER_ID_HEADER`,
:data:`SCOPES_HEADER`); copies of those headers sent by a client are dropped.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

STATE_KEY = "fedtasks_identity"
"""Key of the verified :class:`Identity` in the ASGI scope's ``state``."""

USER_ID_HEADER = "x-fedtasks-user-id"
"""The verified subject (the user's id), set by the router on subgraph calls."""

SCOPES_HEADER = "x-fedtasks-scopes"
"""The verified scopes, space-separated, set by the router on subgraph calls."""

ROUTER_SECRET_HEADER = "x-fedtasks-router-secret"
"""The router's shared secret, which subgraphs in production mode require."""

TRUSTED_HEADERS = (USER_ID_HEADER, SCOPES_HEADER, ROUTER_SECRET_HEADER)
"""Headers only the router may set on a subgraph call."""


@dataclass(frozen=True)
class Identity:
    """A caller whose token the router verified: the subject and its scopes."""

    subject: str
    scopes: frozenset[str] = frozenset()

    def headers(self) -> dict[str, str]:
        """The headers that carry this identity to subgraphs."""
        return {USER_ID_HEADER: self.subject, SCOPES_HEADER: " ".join(sorted(self.scopes))}


def identity_of(scope: MutableMapping[str, Any]) -> Identity | None:
    """The verified identity of the ASGI request ``scope``, or None when anonymous."""
    state = scope.get("state")
    if not state:
        return None
    found = state.get(STATE_KEY)
    return found if isinstance(found, Identity) else None
