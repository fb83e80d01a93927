"""Subgraph errors: re-pathed to the client's paths, and nulls that bubble up.

- ``users``: ``User @key(id) { id name nickname }``. ``name`` (non-null) fails for user 3;
  ``nickname`` (nullable) fails with its own code FORBIDDEN for user 1.
  ``Query.me: User``, ``Query.strict: User!`` (user 3), ``Query.users: [User!]!``.
- ``reviews``: ``Review { body author: User! }``; ``User.karma`` (nullable) fails for user 2;
  ``Query.reviews: [Review]`` (authors 1, 3, 3, 2), ``Query.authors: [User!]`` (1, 3).
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from tests.conformance.harness import subgraph

NAMES = {"1": "Ada", "2": "Bob"}


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @strawberry.field
    def name(self) -> str:
        if self.id not in NAMES:
            raise ValueError(f"name of user {self.id} is unavailable")
        return NAMES[self.id]

    @strawberry.field
    def nickname(self) -> str | None:
        if self.id == "1":
            raise GraphQLError("nickname is private", extensions={"code": "FORBIDDEN"})
        return f"nick{self.id}"

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id)


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User | None:
        return User(id=strawberry.ID("1"))

    @strawberry.field
    def strict(self) -> User:
        return User(id=strawberry.ID("3"))

    @strawberry.field
    def users(self) -> list[User]:
        return [User(id=strawberry.ID("1")), User(id=strawberry.ID("2"))]


@strawberry.federation.type(name="User", keys=["id"])
class Author:
    id: strawberry.ID

    @strawberry.field
    def karma(self) -> int | None:
        if self.id == "2":
            raise ValueError("karma of user 2 is being recomputed")
        return int(self.id) * 10

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Author:
        return Author(id=id)


@strawberry.type
class Review:
    body: str
    author: Author


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def reviews(self) -> list[Review | None]:
        return [
            Review(body=body, author=Author(id=strawberry.ID(author)))
            for body, author in (("Great", "1"), ("Odd", "3"), ("Odder", "3"), ("Fine", "2"))
        ]

    @strawberry.field
    def authors(self) -> list[Author] | None:
        return [Author(id=strawberry.ID("1")), Author(id=strawberry.ID("3"))]


users = subgraph(UsersQuery)
reviews = subgraph(ReviewsQuery)
