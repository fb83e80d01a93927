"""GraphQL types of the users subgraph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from subgraphs.users.context import UsersContext
from subgraphs.users.models import UserRow


@strawberry.enum(description="What a user may do.")
class Role(Enum):
    """A user's role."""

    MEMBER = "MEMBER"
    ADMIN = "ADMIN"


@strawberry.federation.type(keys=["id"], description="A person who can be assigned tasks.")
class User:
    """The User entity, owned by this subgraph."""

    id: strawberry.ID
    name: str
    email: str
    role: Role
    created_at: datetime

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        """The GraphQL view of a stored user."""
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            email=row.email,
            role=Role(row.role),
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[UsersContext, None], id: strawberry.ID
    ) -> User | None:
        """Resolve a representation through the request's batch loader; null if gone."""
        row = await info.context.loaders.user_by_id.load(str(id))
        return None if row is None else cls.from_row(row)


@strawberry.input(description="A new user.")
class CreateUserInput:
    """Fields of a new user."""

    name: str
    email: str
    role: Role = Role.MEMBER


@strawberry.input(description="Changes to a user; omitted fields stay as they are.")
class UpdateUserInput:
    """Fields to change on a user."""

    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    role: Role | None = strawberry.UNSET
