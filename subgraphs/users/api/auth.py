"""signUp and login: the public way to get an account and a token.

Both answer an ``AuthPayload`` (a token the router verifies, and the user). A failed login
says the same thing, UNAUTHENTICATED, for an unknown email and for a wrong password, and
takes as long for both (``subgraphs.users.passwords``). The password is checked against
the policy (BAD_USER_INPUT), hashed with argon2id, and never stored, returned or logged.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from subgraphs.common.errors import BadUserInput, Unauthenticated
from subgraphs.common.validation import email_address, required_text
from subgraphs.users import repository
from subgraphs.users.api.types import AuthPayload, SignUpInput, User
from subgraphs.users.context import UsersContext
from subgraphs.users.passwords import (
    MAX_LENGTH,
    check_policy,
    hash_password,
    verify_password,
)

NAME_MAX = 200
LOGIN_FAILED = "Wrong email or password."


@strawberry.type
class AuthMutation:
    """Root mutation fields that sign a user in."""

    @strawberry.mutation(description="Create an account (role MEMBER) and sign in.")
    async def sign_up(self, info: Info[UsersContext, None], input: SignUpInput) -> AuthPayload:
        """Validate, store the user with a hashed password, and hand out a token."""
        context = info.context
        context.tokens.require()
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
        try:
            address: str | None = email_address(email)
        except BadUserInput:
            address = None
        row = None
        if address is not None:
            async with context.sessions() as session:
                row = await repository.user_by_email(session, email=address)
        stored = row.password_hash if row is not None else None
        # Nothing changes on a login, so it names nothing for the router's cache.
        if row is None or not await verify_password(stored, password[:MAX_LENGTH]):
            raise Unauthenticated(LOGIN_FAILED)
        return AuthPayload(
            token=context.tokens.issue(user_id=row.id, role=row.role), user=User.from_row(row)
        )
