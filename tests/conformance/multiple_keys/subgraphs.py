"""One entity with several keys; other subgraphs know it by only one of them.

- ``accounts``: ``User @key(id) @key(email)`` with ``name``.
- ``newsletter``: ``User @key(email)`` with ``subscribed``.
- ``karma``: ``User @key(id)`` with ``karma``.

From ``newsletter`` (email only) to ``karma`` (id only) the router must pass through
``accounts``, which can translate one key into the other.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

PEOPLE = [("1", "ada@example.com", "Ada"), ("2", "bob@example.com", "Bob")]


@strawberry.federation.type(keys=["id", "email"])
class User:
    id: strawberry.ID
    email: str
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID | None = None, email: str | None = None) -> User:
        for person_id, person_email, name in PEOPLE:
            if person_id == id or person_email == email:
                return User(id=strawberry.ID(person_id), email=person_email, name=name)
        raise LookupError(f"no user {id or email}")


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def user(self, id: strawberry.ID) -> User | None:
        return User.resolve_reference(id=id)


@strawberry.federation.type(name="User", keys=["email"])
class Subscriber:
    email: str

    @strawberry.field
    def subscribed(self) -> bool:
        return self.email.startswith("ada")

    @classmethod
    def resolve_reference(cls, email: str) -> Subscriber:
        return Subscriber(email=email)


@strawberry.type
class NewsletterQuery:
    @strawberry.field
    def subscribers(self) -> list[Subscriber]:
        return [Subscriber(email=email) for _, email, _ in PEOPLE]


@strawberry.federation.type(name="User", keys=["id"])
class Ranked:
    id: strawberry.ID

    @strawberry.field
    def karma(self) -> int:
        return 10 * int(self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Ranked:
        return Ranked(id=id)


@strawberry.type
class KarmaQuery:
    @strawberry.field
    def leader(self) -> Ranked:
        return Ranked(id=strawberry.ID("2"))


accounts = subgraph(AccountsQuery)
newsletter = subgraph(NewsletterQuery)
karma = subgraph(KarmaQuery)
