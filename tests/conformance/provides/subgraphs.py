"""@provides: a subgraph can return an @external field, but only on the providing path.

- ``accounts`` owns ``User { id name email }`` (``name`` @shareable, as @provides needs).
- ``reviews`` returns ``Review.author @provides("name")``; its ``User.name`` is @external.
  Its provided names are marked "(via reviews)" so a test sees where a name came from.
  ``Query.topReviewer`` returns a User without @provides: there ``name`` must come from
  ``accounts``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

CALLS: list[str] = []
NAMES = {"1": "Ada", "2": "Bob"}


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    email: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        CALLS.append(id)
        return User(id=id, name=NAMES[id], email=f"{NAMES[id].lower()}@example.com")


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def me(self) -> User:
        return User.resolve_reference(strawberry.ID("1"))


@strawberry.federation.type(name="User", keys=["id"])
class Author:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Author:
        return Author(id=id, name=f"{NAMES[id]} (via reviews)")


@strawberry.type
class Review:
    body: str
    author: Author = strawberry.federation.field(provides=["name"])


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def reviews(self) -> list[Review]:
        return [
            Review(body="Great", author=Author(id=strawberry.ID("1"), name="Ada (via reviews)")),
            Review(body="Meh", author=Author(id=strawberry.ID("2"), name="Bob (via reviews)")),
        ]

    @strawberry.field
    def top_reviewer(self) -> Author:
        return Author(id=strawberry.ID("2"), name="Bob (via reviews)")


accounts = subgraph(AccountsQuery)
reviews = subgraph(ReviewsQuery)
