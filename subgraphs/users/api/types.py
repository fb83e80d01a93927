"""GraphQL types of the users subgraph, including its contribution to the Task entity."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from subgraphs.common.authorization import signed_in
from subgraphs.common.cache_control import CALLER_HINT, PRIVATE_HINT, PUBLIC_HINT
from subgraphs.users.context import UsersContext
from subgraphs.users.models import UserRow


@strawberry.enum(description="What a user may do.")
class Role(Enum):
    """A user's role."""

    MEMBER = "MEMBER"
    ADMIN = "ADMIN"


@strawberry.federation.type(
    keys=["id"], description="A person who can be assigned tasks.", directives=[PUBLIC_HINT]
)
class User:
    """The User entity, owned by this subgraph.

    ``email`` and ``role`` are personal: only signed-in callers read them (UNAUTHENTICATED
    otherwise), and they are private to the caller for caches; the rest of a user is
    public.
    """

    id: strawberry.ID
    name: str
    stored_email: strawberry.Private[str]
    stored_role: strawberry.Private[Role]
    stored_created_at: strawberry.Private[datetime]

    @strawberry.field(directives=[CALLER_HINT])
    def email(self, info: Info[UsersContext, None]) -> str:
        """The user's email, for signed-in callers."""
        signed_in(info.context.caller, to="read email addresses")
        return self.stored_email

    @strawberry.field(directives=[CALLER_HINT])
    def role(self, info: Info[UsersContext, None]) -> Role:
        """The user's role, for signed-in callers."""
        signed_in(info.context.caller, to="read roles")
        return self.stored_role

    # A resolver too, only to keep the SDL's field order (Strawberry lists resolvers last).
    @strawberry.field
    def created_at(self) -> datetime:
        """When the user was created."""
        return self.stored_created_at

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        """The GraphQL view of a stored user."""
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            stored_email=row.email,
            stored_role=Role(row.role),
            stored_created_at=row.created_at,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[UsersContext, None], id: strawberry.ID
    ) -> User | None:
        """Resolve a representation through the request's batch loader; null if gone."""
        row = await info.context.loaders.user_by_id.load(str(id))
        return None if row is None else cls.from_row(row)


# No description here: the tasks subgraph owns Task and describes it.
@strawberry.federation.type(keys=["id"], directives=[PUBLIC_HINT])
class Task:
    """The users subgraph's part of the Task entity: who it is assigned to.

    Federation's "the owner of an entity resolves references to it": the tasks subgraph
    stores only the assignee's id (``assigneeId``, @inaccessible), and only this subgraph
    knows whether that user exists, so it resolves ``assignee`` from the id the router
    brings along (@requires), null for a deleted or unknown user.
    """

    id: strawberry.ID
    assignee_id: strawberry.ID | None = strawberry.federation.field(external=True)

    @classmethod
    def resolve_reference(
        cls,
        id: strawberry.ID,
        assigneeId: strawberry.ID | None,  # noqa: N803 - the representation's field name
    ) -> Task:
        """A task as the router represents it: its key and its assignee's stored id."""
        return cls(id=id, assignee_id=assigneeId)

    @strawberry.federation.field(
        requires=["assigneeId"],
        description="Who the task is assigned to; null if nobody or a deleted user.",
    )
    async def assignee(self, info: Info[UsersContext, None]) -> User | None:
        """The assigned user through the request's batch loader; null if there is none."""
        if self.assignee_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(str(self.assignee_id))
        return None if row is None else User.from_row(row)


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


@strawberry.input(description="A new account: name, email and password.")
class SignUpInput:
    """Fields of a sign-up."""

    name: str
    email: str
    password: str = strawberry.field(description="8 to 256 characters; stored only as a hash.")


@strawberry.type(description="A signed-in user and their bearer token.", directives=[PRIVATE_HINT])
class AuthPayload:
    """What signUp and login answer."""

    token: str = strawberry.field(
        description="A JWT to send as `Authorization: Bearer <token>` to the router."
    )
    user: User
