"""signUp and login: the public way to get an account and a token.

Both answer an ``AuthPayload`` (a token the router verifies, and the user). A failed login
says the same thing, UNAUTHENTICATED, for an unknown email and for a wrong password, and
takes as long for both: both verify a hash (``subgraphs.users.passwords``). The password
is checked against the policy (BAD_USER_INPUT), hashed with argon2id, and never stored,
returned or logged.

Guessing is bounded: one operation may hold one ``login`` or ``signUp`` (aliases do not
multiply them; BAD_REQUEST for every one of them otherwise), and failed logins are
counted per email (``subgraphs.users.login_limit``, RATE_LIMITED past the limit).
"""

from __future__ import annotations

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from subgraphs.common.errors import BadUserInput, PublicError, Unauthenticated
from subgraphs.common.validation import email_address, required_text
from subgraphs.users import repository
from subgraphs.users.api.types import AuthPayload, SignUpInput, User
from subgraphs.users.context import UsersContext
from subgraphs.users.login_limit import TooManyLogins
from subgraphs.users.passwords import (
    MAX_LENGTH,
    check_policy,
    hash_password,
    verify_password,
)

NAME_MAX = 200
LOGIN_FAILED = "Wrong email or password."
SIGN_IN_FIELDS = frozenset({"login", "signUp"})


def _sign_ins(info: Info[UsersContext, None]) -> int:
    """``login`` and ``signUp`` fields at the root of the operation, fragments included."""
    seen: set[str] = set()
    fragments = info._raw_info.fragments

    def count(selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += selection.name.value in SIGN_IN_FIELDS
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                # Validated: fragments exist and do not cycle; each counts once is enough
                # to know whether there is more than one.
                seen.add(selection.name.value)
                total += count(fragments[selection.name.value].selection_set)
        return total

    return count(info.operation.selection_set)


class TooManySignIns(PublicError):
    """More than one login or signUp in one operation."""

    code = "BAD_REQUEST"


def _one_sign_in(info: Info[UsersContext, None]) -> None:
    """BAD_REQUEST when the operation holds more than one login or signUp."""
    if _sign_ins(info) > 1:
        raise TooManySignIns("One operation may hold one login or signUp, not more.")


@strawberry.type
class AuthMutation:
    """Root mutation fields that sign a user in."""

    @strawberry.mutation(description="Create an account (role MEMBER) and sign in.")
    async def sign_up(self, info: Info[UsersContext, None], input: SignUpInput) -> AuthPayload:
        """Validate, store the user with a hashed password, and hand out a token."""
        context = info.context
        context.tokens.require()
        _one_sign_in(info)
        name = required_text(input.name, field="name", max_length=NAME_MAX)
        email = email_address(input.email)
        password_hash = await hash_password(check_policy(input.password))
        async with context.sessions() as session:
            row = await repository.create_user(
                session, name=name, email=email, role="MEMBER", password_hash=password_hash
            )
        context.invalidations.entity("User", {"id": row.id})
        token = context.tokens.issue(user_id=row.id, role=row.role)
        return AuthPayload(token=token, user=User.from_row(row))

    @strawberry.mutation(description="Sign in with an email and a password.")
    async def login(self, info: Info[UsersContext, None], email: str, password: str) -> AuthPayload:
        """A token for the user whose password this is; UNAUTHENTICATED otherwise."""
        context = info.context
        context.tokens.require()
        _one_sign_in(info)
        try:
            address: str | None = email_address(email)
        except BadUserInput:
            address = None
        counted = address or email[:MAX_LENGTH]
        if await context.attempts.blocked(counted):
            raise TooManyLogins("Too many failed logins for this email; try again later.")
        row = None
        if address is not None:
            async with context.sessions() as session:
                row = await repository.user_by_email(session, email=address)
        stored = row.password_hash if row is not None else None
        # Always verified, against a dummy hash for an unknown email: the same work either way.
        matches = await verify_password(stored, password[:MAX_LENGTH])
        # Nothing changes on a login, so it names nothing for the router's cache.
        if row is None or not matches:
            await context.attempts.failed(counted)
            raise Unauthenticated(LOGIN_FAILED)
        return AuthPayload(
            token=context.tokens.issue(user_id=row.id, role=row.role), user=User.from_row(row)
        )
