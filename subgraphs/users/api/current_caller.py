"""The caller as the database has them now: role decisions never trust a token's scopes.

A token keeps the scopes it was signed with until it expires, so a demoted admin's token
still says ``admin`` and a deleted user's token still names them. Every decision of the
users subgraph that depends on a role (create users, change a role, change or delete
another user) reads the caller's current row instead: a deleted caller (their id is
kept in ``deleted_users``) is UNAUTHENTICATED, a demoted one is a member. A token naming
an id this database never held keeps its scopes (only the router's secret holder can
send one). (The tasks subgraph has no users table: an
admin's power over other people's tasks follows the token until it expires,
FEDTASKS_JWT_TTL_SECONDS; README "Limits and safety".)
"""

from __future__ import annotations

from strawberry.types import Info

from subgraphs.common.caller import ADMIN_SCOPE, MEMBER_SCOPE, Caller
from subgraphs.common.errors import Unauthenticated
from subgraphs.users import repository
from subgraphs.users.context import UsersContext


async def current_caller(info: Info[UsersContext, None]) -> Caller | None:
    """The signed-in caller with the scopes of their current role; None when anonymous."""
    caller = info.context.caller
    if caller is None:
        return None
    row = await info.context.loaders.user_by_id.load(caller.user_id)
    if row is None:
        async with info.context.sessions() as session:
            deleted = await repository.was_deleted(session, user_id=caller.user_id)
        if deleted:
            raise Unauthenticated("The account this token was issued for no longer exists.")
        return caller
    scopes = {MEMBER_SCOPE, ADMIN_SCOPE} if row.role == "ADMIN" else {MEMBER_SCOPE}
    return Caller(caller.user_id, frozenset(scopes))
