"""Entity jumps that chain through three subgraphs and through nested lists.

- ``users``: ``User @key(id) { id name }``; ``Query.me``, ``Query.users``.
- ``reviews``: ``User.reviews: [Review!]!``; ``Review { body product: Product }`` (one
  review's product is null); ``Product @key(upc)`` stubs.
- ``products``: ``Product @key(upc) { upc title maker: User }``; the maker's name comes
  back from ``users``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

NAMES = {"1": "Ada", "2": "Bob"}
REVIEWS = {"1": [("Nice", "p1"), ("Lost", None)], "2": [("Bright", "p2"), ("Again", "p1")]}
PRODUCTS = {"p1": ("Table", "2"), "p2": ("Lamp", "1")}


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
    def me(self) -> User:
        return User.resolve_reference(strawberry.ID("1"))

    @strawberry.field
    def users(self) -> list[User]:
        return [User.resolve_reference(strawberry.ID(id)) for id in NAMES]


@strawberry.federation.type(name="Product", keys=["upc"])
class ProductStub:
    upc: str


@strawberry.type
class Review:
    body: str
    product: ProductStub | None


@strawberry.federation.type(name="User", keys=["id"])
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [
            Review(body=body, product=ProductStub(upc=upc) if upc else None)
            for body, upc in REVIEWS[self.id]
        ]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Reviewer:
        return Reviewer(id=id)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return sum(len(r) for r in REVIEWS.values())


@strawberry.federation.type(name="User", keys=["id"])
class Maker:
    id: strawberry.ID


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    title: str
    maker: Maker

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        title, maker = PRODUCTS[upc]
        return Product(upc=upc, title=title, maker=Maker(id=strawberry.ID(maker)))


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in PRODUCTS]


users = subgraph(UsersQuery)
reviews = subgraph(ReviewsQuery, types=(Reviewer,))
products = subgraph(ProductsQuery)
