"""Entities joined through @key: a single key, a compound key, and a `resolvable: false` stub.

- ``accounts`` owns ``User @key(id)``.
- ``reviews`` owns ``Review``; its authors are ``User @key(id, resolvable: false)`` stubs.
- ``shipping`` owns ``Parcel @key("carrier number")`` (a compound key).
- ``orders`` owns ``Order`` and knows parcels by their compound key only.
"""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import Key

from tests.conformance.harness import subgraph

CALLS: list[str] = []


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User | None:
        CALLS.append(f"accounts User {id}")
        return USERS.get(id)


USERS = {
    "1": User(id=strawberry.ID("1"), name="Ada"),
    "2": User(id=strawberry.ID("2"), name="Bob"),
}


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def user(self, id: strawberry.ID) -> User | None:
        return USERS.get(id)


@strawberry.federation.type(name="User", directives=[Key(fields="id", resolvable=False)])
class UserStub:
    id: strawberry.ID


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    author: UserStub


REVIEWS = [
    Review(id=strawberry.ID("r1"), body="Great", author=UserStub(id=strawberry.ID("1"))),
    Review(id=strawberry.ID("r2"), body="Meh", author=UserStub(id=strawberry.ID("2"))),
    Review(id=strawberry.ID("r3"), body="Who?", author=UserStub(id=strawberry.ID("404"))),
]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def reviews(self) -> list[Review]:
        return REVIEWS

    @strawberry.field
    def review(self, id: strawberry.ID) -> Review | None:
        return next((r for r in REVIEWS if r.id == id), None)


@strawberry.federation.type(keys=["carrier number"])
class Parcel:
    carrier: str
    number: int
    status: str

    @classmethod
    def resolve_reference(cls, carrier: str, number: int) -> Parcel:
        CALLS.append(f"shipping Parcel {carrier} {number}")
        return Parcel(carrier=carrier, number=number, status=f"{carrier}#{number} in transit")


@strawberry.type
class ShippingQuery:
    @strawberry.field
    def parcel(self, carrier: str, number: int) -> Parcel:
        return Parcel(carrier=carrier, number=number, status="at depot")


@strawberry.federation.type(name="Parcel", keys=["carrier number"])
class ParcelRef:
    carrier: str
    number: int

    @classmethod
    def resolve_reference(cls, carrier: str, number: int) -> ParcelRef:
        return ParcelRef(carrier=carrier, number=number)


@strawberry.type
class Order:
    id: strawberry.ID
    parcel: ParcelRef | None


@strawberry.type
class OrdersQuery:
    @strawberry.field
    def orders(self) -> list[Order]:
        return [
            Order(id=strawberry.ID("o1"), parcel=ParcelRef(carrier="UPS", number=7)),
            Order(id=strawberry.ID("o2"), parcel=None),
            Order(id=strawberry.ID("o3"), parcel=ParcelRef(carrier="DHL", number=7)),
        ]


accounts = subgraph(AccountsQuery)
reviews = subgraph(ReviewsQuery)
shipping = subgraph(ShippingQuery)
orders = subgraph(OrdersQuery)
