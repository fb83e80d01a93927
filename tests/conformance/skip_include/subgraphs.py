"""@skip and @include over two subgraphs.

- ``users``: ``User @key(id) { id name email }``; ``Query.me``.
- ``reviews``: ``User.reviews``; ``Query.topReviews``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str
    email: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, name="Ada", email="ada@example.com")


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User:
        return User.resolve_reference(strawberry.ID("1"))


@strawberry.type
class Review:
    body: str


@strawberry.federation.type(name="User", keys=["id"])
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [Review(body="Great"), Review(body="Meh")]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Reviewer:
        return Reviewer(id=id)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def top_reviews(self) -> list[Review]:
        return [Review(body="Great")]


users = subgraph(UsersQuery)
reviews = subgraph(ReviewsQuery, types=(Reviewer,))
