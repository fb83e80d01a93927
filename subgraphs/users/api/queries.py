"""Query fields of the users subgraph."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from subgraphs.common.cache_control import CALLER_HINT, PUBLIC_HINT
from subgraphs.common.graphql_types import Connection, build_connection
from subgraphs.common.pagination import check_page_size
from subgraphs.users import repository
from subgraphs.users.api.types import User
from subgraphs.users.context import UsersContext


@strawberry.type
class Query:
    """Root query fields owned by the users subgraph."""

    @strawberry.field(description="The user with this id, or null.")
    async def user(self, info: Info[UsersContext, None], id: strawberry.ID) -> User | None:
        """One user by id."""
        row = await info.context.loaders.user_by_id.load(str(id))
        return None if row is None else User.from_row(row)

    @strawberry.field(
        description="The signed-in user; null when anonymous.", directives=[CALLER_HINT]
    )
    async def me(self, info: Info[UsersContext, None]) -> User | None:
        """The caller, as the router named them; null if anonymous or since deleted."""
        caller = info.context.caller
        if caller is None:
            return None
        row = await info.context.loaders.user_by_id.load(caller.user_id)
        return None if row is None else User.from_row(row)

    @strawberry.field(
        description="Every user, oldest first, a page at a time.", directives=[PUBLIC_HINT]
    )
    async def users(
        self, info: Info[UsersContext, None], first: int | None = 20, after: str | None = None
    ) -> Connection[User]:
        """A page of users."""
        page_size = check_page_size(first)
        sessions = info.context.sessions
        async with sessions() as session:
            page = await repository.list_users(session, first=page_size, after=after)

        async def count() -> int:
            async with sessions() as session:
                return await repository.count_users(session)

        for row in page.items:
            info.context.loaders.user_by_id.prime(row.id, row)
        return build_connection(page, repository.BY_CREATED_AT, User.from_row, count)
