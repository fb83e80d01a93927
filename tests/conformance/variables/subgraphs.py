"""Variables and default values, in root fetches and in entity fetches.

- ``catalog``: ``products(first: Int = 2, filter: ProductFilter)``; an explicit null
  ``first`` means "all".
- ``reviews``: ``Product.reviews(stars: Int = 0)``, at least that many stars.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

PRODUCTS = [("p1", "Table", 100), ("p2", "Lamp", 20), ("p3", "Chair", 60)]
REVIEWS = {"p1": [("Solid", 5), ("Heavy", 2)], "p2": [("Dim", 1)], "p3": []}


@strawberry.input
class ProductFilter:
    min_price: int | None = None
    names: list[str] | None = None


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str
    price: int


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def products(self, first: int | None = 2, filter: ProductFilter | None = None) -> list[Product]:
        found = [Product(upc=u, name=n, price=p) for u, n, p in PRODUCTS]
        if filter is not None and filter.min_price is not None:
            found = [p for p in found if p.price >= filter.min_price]
        if filter is not None and filter.names is not None:
            found = [p for p in found if p.name in filter.names]
        return found if first is None else found[:first]


@strawberry.type
class Review:
    body: str
    stars: int


@strawberry.federation.type(name="Product", keys=["upc"])
class ReviewedProduct:
    upc: str

    @strawberry.field
    def reviews(self, stars: int = 0) -> list[Review]:
        return [Review(body=b, stars=s) for b, s in REVIEWS[self.upc] if s >= stars]

    @classmethod
    def resolve_reference(cls, upc: str) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return sum(len(r) for r in REVIEWS.values())


catalog = subgraph(CatalogQuery)
reviews = subgraph(ReviewsQuery, types=(ReviewedProduct,))
