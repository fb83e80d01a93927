"""Two subgraphs, either of which the tests take down.

- ``users``: ``User @key(id) { id name }``; ``Query.me: User``, ``Query.users: [User!]!``.
- ``reviews``: ``User.reviews: [Review!]``, ``User.reviewCount: Int!``;
  ``Review { body author: User }``; ``Query.topReviews: [Review!]!``.
"""

from __future__ import annotations

import strawberry
from starlette.types import Receive, Scope, Send

from tests.conformance.harness import subgraph

NAMES = {"1": "Ada", "2": "Bob"}


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, name=NAMES[id])


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User | None:
        return User(id=strawberry.ID("1"), name="Ada")

    @strawberry.field
    def users(self) -> list[User]:
        return [User(id=strawberry.ID(id), name=name) for id, name in NAMES.items()]


@strawberry.type
class Review:
    body: str
    author: Reviewer | None


@strawberry.federation.type(name="User", keys=["id"])
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review] | None:
        return [Review(body=f"review by {self.id}", author=self)]

    @strawberry.field
    def review_count(self) -> int:
        return 1

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Reviewer:
        return Reviewer(id=id)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def top_reviews(self) -> list[Review]:
        return [Review(body="Great", author=Reviewer(id=strawberry.ID("1")))]


async def broken_app(scope: Scope, receive: Receive, send: Send) -> None:
    """An ASGI app that answers every request with a plain-text 500."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"upstream exploded"})


users = subgraph(UsersQuery)
reviews = subgraph(ReviewsQuery)
