"""@shareable fields and value types resolved by more than one subgraph.

- ``catalog`` and ``reviews`` both resolve ``Product.name`` and ``Product.price`` (a
  ``Money { amount currency }`` value type): the cheapest source is the subgraph already
  being fetched, so no extra fetch is needed.
- ``deals`` resolves ``Product.price`` too, but its ``Money`` has only ``amount``:
  ``currency`` has to come from a subgraph that knows it, through the Product key.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

PRODUCTS = {"p1": ("Table", 100), "p2": ("Lamp", 20)}


@strawberry.federation.type(shareable=True)
class Money:
    amount: int
    currency: str


def money(upc: str) -> Money:
    return Money(amount=PRODUCTS[upc][1], currency="EUR")


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str = strawberry.federation.field(shareable=True)
    price: Money = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        return Product(upc=upc, name=PRODUCTS[upc][0], price=money(upc))


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in PRODUCTS]


@strawberry.type
class Review:
    body: str
    product: Product


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def reviews(self) -> list[Review]:
        return [
            Review(body="Sturdy", product=Product.resolve_reference("p1")),
            Review(body="Dim", product=Product.resolve_reference("p2")),
        ]


@strawberry.federation.type(name="Money", shareable=True)
class Amount:
    amount: int


@strawberry.federation.type(name="Product", keys=["upc"])
class Deal:
    upc: str
    price: Amount = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, upc: str) -> Deal:
        return Deal(upc=upc, price=Amount(amount=PRODUCTS[upc][1]))


@strawberry.type
class DealsQuery:
    @strawberry.field
    def deals(self) -> list[Deal]:
        return [Deal.resolve_reference("p2")]


catalog = subgraph(CatalogQuery)
reviews = subgraph(ReviewsQuery)
deals = subgraph(DealsQuery)


@strawberry.federation.type(name="Product", keys=["upc"])
class FullDeal:
    upc: str
    price: Money = strawberry.federation.field(shareable=True)


@strawberry.type
class FullDealsQuery:
    @strawberry.field
    def deals(self) -> list[FullDeal]:
        return []


# ``deals`` as if its Money had ``currency`` too: composed, then ``currency`` is marked as
# resolved by catalog only, which is the supergraph Apollo composes for the real ``deals``.
deals_with_full_money = subgraph(FullDealsQuery)
