"""Two small subgraphs; introspection must be answered by the router from the API schema.

- ``users``: ``User @key(id) { id name }``; ``Query.me``.
- ``reviews``: ``User.reviews``; ``Review { body }``; ``Query.topReviews``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, name="Ada")


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User:
        return User(id=strawberry.ID("1"), name="Ada")


@strawberry.type
class Review:
    body: str


@strawberry.federation.type(name="User", keys=["id"])
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [Review(body="Great")]

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
