"""Interfaces and unions whose fields and members differ between subgraphs.

- ``shop``: ``interface Item { id name }`` implemented by ``Book`` and ``Pen`` (entities);
  ``union SearchResult = Book | Pen``.
- ``stock``: ``Book`` and ``Pen`` entities with ``stock`` (no interface at all).
- ``pricing``: ``interface Item { id price }`` (no ``name``!) with ``Book`` and ``Pen``.
- ``news``: ``union SearchResult = Book | Magazine``; ``Magazine`` exists only here.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from tests.conformance.harness import subgraph

NAMES = {"b1": "Dune", "n1": "Bic"}
STOCK = {"b1": 3, "n1": 0}
PRICES = {"b1": 10, "n1": 2}


@strawberry.interface
class Item:
    id: strawberry.ID
    name: str


@strawberry.federation.type(keys=["id"])
class Book(Item):
    pages: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Book:
        return Book(id=id, name=NAMES[id], pages=412)


@strawberry.federation.type(keys=["id"])
class Pen(Item):
    color: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Pen:
        return Pen(id=id, name=NAMES[id], color="blue")


SearchResult = Annotated[Book | Pen, strawberry.union("SearchResult")]


@strawberry.type
class ShopQuery:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Book.resolve_reference(strawberry.ID("b1")),
            Pen.resolve_reference(strawberry.ID("n1")),
        ]

    @strawberry.field
    def search(self) -> list[SearchResult]:
        return [
            Pen.resolve_reference(strawberry.ID("n1")),
            Book.resolve_reference(strawberry.ID("b1")),
        ]


@strawberry.federation.type(name="Book", keys=["id"])
class StockBook:
    id: strawberry.ID

    @strawberry.field
    def stock(self) -> int:
        return STOCK[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StockBook:
        return StockBook(id=id)


@strawberry.federation.type(name="Pen", keys=["id"])
class StockPen:
    id: strawberry.ID

    @strawberry.field
    def stock(self) -> int:
        return STOCK[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StockPen:
        return StockPen(id=id)


@strawberry.type
class StockQuery:
    @strawberry.field
    def in_stock(self) -> list[StockBook]:
        return [StockBook(id=strawberry.ID("b1"))]


@strawberry.interface(name="Item")
class PricedItem:
    id: strawberry.ID

    @strawberry.field
    def price(self) -> int:
        return PRICES[self.id]


@strawberry.federation.type(name="Book", keys=["id"])
class PricedBook(PricedItem):
    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PricedBook:
        return PricedBook(id=id)


@strawberry.federation.type(name="Pen", keys=["id"])
class PricedPen(PricedItem):
    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PricedPen:
        return PricedPen(id=id)


@strawberry.type
class PricingQuery:
    @strawberry.field
    def cheapest(self) -> PricedItem:
        return PricedPen(id=strawberry.ID("n1"))


@strawberry.federation.type(name="Book", keys=["id"])
class NewsBook:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> NewsBook:
        return NewsBook(id=id)


@strawberry.type
class Magazine:
    id: strawberry.ID
    title: str


Headline = Annotated[NewsBook | Magazine, strawberry.union("SearchResult")]


@strawberry.type
class NewsQuery:
    @strawberry.field
    def headlines(self) -> list[Headline]:
        return [NewsBook(id=strawberry.ID("b1")), Magazine(id=strawberry.ID("m1"), title="Wired")]


# Strawberry finds entities only through object fields, not through interfaces or unions:
# ``types`` lists the others so that ``_entities`` can resolve them.
shop = subgraph(ShopQuery, types=(Book, Pen))
stock = subgraph(StockQuery, types=(StockPen,))
pricing = subgraph(PricingQuery, types=(PricedBook, PricedPen))
news = subgraph(NewsQuery, types=(NewsBook,))
