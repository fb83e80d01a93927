"""Authorization checks resolvers share: signed in (UNAUTHENTICATED) and admin (FORBIDDEN)."""

from __future__ import annotations

from subgraphs.common.caller import Caller
from subgraphs.common.errors import Forbidden, Unauthenticated


def signed_in(caller: Caller | None, *, to: str) -> Caller:
    """The caller; UNAUTHENTICATED when anonymous (``to`` says what they tried to do)."""
    if caller is None:
        raise Unauthenticated(f"Sign in to {to}.")
    return caller


def admin(caller: Caller | None, *, to: str) -> Caller:
    """The caller, who must hold the admin scope; UNAUTHENTICATED or FORBIDDEN otherwise."""
    caller = signed_in(caller, to=to)
    if not caller.is_admin:
        raise Forbidden(f"Only an admin may {to}.")
    return caller


def self_or_admin(caller: Caller | None, user_id: str, *, to: str) -> Caller:
    """The caller, who must be user ``user_id`` or an admin; UNAUTHENTICATED or FORBIDDEN."""
    caller = signed_in(caller, to=to)
    if caller.user_id != user_id and not caller.is_admin:
        raise Forbidden(f"Only that user or an admin may {to}.")
    return caller
