"""Mutation fields of the users subgraph.

Each one names the user it created, changed or deleted for the router's cache
(``extensions.invalidation``, see ``subgraphs.common.invalidation``) once the change is
committed.

Authorization: only an admin may create users (signUp is the public way) or change a
role; users may update or delete only themselves unless they are admins. The caller's
role is read from the database for each decision, not from their token
(``subgraphs.users.api.current_caller``).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.authorization import admin, self_or_admin
from subgraphs.common.validation import email_address, is_set, not_null, required_text
from subgraphs.users import repository
from subgraphs.users.api.current_caller import current_caller
from subgraphs.users.api.types import CreateUserInput, UpdateUserInput, User
from subgraphs.users.context import UsersContext

NAME_MAX = 200


@strawberry.type
class UserMutation:
    """Root mutation fields that manage users."""

    @strawberry.mutation(description="Create a user. Emails are unique, case-insensitively.")
    async def create_user(self, info: Info[UsersContext, None], input: CreateUserInput) -> User:
        """Validate and store a new user (admins only)."""
        admin(await current_caller(info), to="create users")
        name = required_text(input.name, field="name", max_length=NAME_MAX)
        email = email_address(input.email)
        async with info.context.sessions() as session:
            row = await repository.create_user(
                session, name=name, email=email, role=input.role.value
            )
        info.context.invalidations.entity("User", {"id": row.id})
        return User.from_row(row)

    @strawberry.mutation(description="Change a user's name, email or role.")
    async def update_user(
        self, info: Info[UsersContext, None], id: strawberry.ID, input: UpdateUserInput
    ) -> User:
        """Validate and apply the given changes (to oneself, or by an admin)."""
        caller = self_or_admin(await current_caller(info), str(id), to="change this user")
        changes: dict[str, Any] = {}
        if is_set(input.name):
            name = not_null(input.name, field="name")
            changes["name"] = required_text(name, field="name", max_length=NAME_MAX)
        if is_set(input.email):
            changes["email"] = email_address(not_null(input.email, field="email"))
        if is_set(input.role):
            admin(caller, to="change a role")
            changes["role"] = not_null(input.role, field="role").value
        async with info.context.sessions() as session:
            row = await repository.update_user(session, user_id=str(id), changes=changes)
        info.context.invalidations.entity("User", {"id": row.id})
        return User.from_row(row)

    @strawberry.mutation(
        description="Delete a user. Tasks assigned to them keep the id; their assignee "
        "resolves to null."
    )
    async def delete_user(self, info: Info[UsersContext, None], id: strawberry.ID) -> bool:
        """Delete the user (oneself, or by an admin); NOT_FOUND if there is none."""
        self_or_admin(await current_caller(info), str(id), to="delete this user")
        async with info.context.sessions() as session:
            deleted = await repository.delete_user(session, user_id=str(id))
        info.context.invalidations.entity("User", {"id": str(id)})
        return deleted
