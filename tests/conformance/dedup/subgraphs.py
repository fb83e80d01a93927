"""Many list items referencing few entities: each entity is sent once and fills every item.

- ``reviews``: four reviews by users 1, 2, 1, 1 about products p1, p1, p2, p1;
  ``User.reviews`` lists a user's reviews.
- ``users`` and ``products`` count their ``resolve_reference`` calls in ``CALLS``.
"""

from __future__ import annotations

import json

import strawberry
from starlette.types import Receive, Scope, Send

from tests.conformance.harness import subgraph

CALLS: list[str] = []
NAMES = {"1": "Ada", "2": "Bob"}
TITLES = {"p1": "Table", "p2": "Lamp"}
REVIEWS = [("r1", "1", "p1"), ("r2", "2", "p1"), ("r3", "1", "p2"), ("r4", "1", "p1")]


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        CALLS.append(f"User {id}")
        return User(id=id, name=NAMES[id])


@strawberry.type
class UsersQuery:
    @strawberry.field
    def user_count(self) -> int:
        return len(NAMES)


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    title: str

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        CALLS.append(f"Product {upc}")
        return Product(upc=upc, title=TITLES[upc])


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def product_count(self) -> int:
        return len(TITLES)


@strawberry.federation.type(name="User", keys=["id"])
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [review(r) for r in REVIEWS if r[1] == self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Reviewer:
        return Reviewer(id=id)


@strawberry.federation.type(name="Product", keys=["upc"])
class ReviewedProduct:
    upc: str

    @classmethod
    def resolve_reference(cls, upc: str) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


@strawberry.type
class Review:
    id: strawberry.ID
    author: Reviewer
    product: ReviewedProduct


def review(row: tuple[str, str, str]) -> Review:
    id, author, upc = row
    return Review(
        id=strawberry.ID(id),
        author=Reviewer(id=strawberry.ID(author)),
        product=ReviewedProduct(upc=upc),
    )


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def reviews(self) -> list[Review]:
        return [review(r) for r in REVIEWS]


users = subgraph(UsersQuery, types=(User,))
products = subgraph(ProductsQuery, types=(Product,))
reviews = subgraph(ReviewsQuery)


async def one_entity_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A subgraph that answers every ``_entities`` call with exactly one entity."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body = json.dumps({"data": {"_entities": [{"name": "Only"}]}}).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
