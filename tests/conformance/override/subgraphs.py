"""@override: a field moved from ``old`` to ``new``, fully or behind a progressive label.

- ``old`` owns ``Product { upc name inStock rating }``; its answers are stale
  (``inStock: false``, ``rating: 1``).
- ``new`` takes over ``inStock`` (``@override(from: "old")``: true) and, behind the label
  ``beta``, ``rating`` (``@override(from: "old", label: "beta")``: 5).
"""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import Override

from tests.conformance.harness import subgraph


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str
    in_stock: bool
    rating: int

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        return Product(upc=upc, name=upc.upper(), in_stock=False, rating=1)


@strawberry.type
class OldQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in ("p1", "p2")]


@strawberry.federation.type(name="Product", keys=["upc"])
class NewProduct:
    upc: str
    in_stock: bool = strawberry.federation.field(override="old")
    rating: int = strawberry.federation.field(override=Override(override_from="old", label="beta"))

    @classmethod
    def resolve_reference(cls, upc: str) -> NewProduct:
        return NewProduct(upc=upc, in_stock=True, rating=5)


@strawberry.type
class NewQuery:
    @strawberry.field
    def featured(self) -> NewProduct:
        return NewProduct.resolve_reference("p9")


old = subgraph(OldQuery)
new = subgraph(NewQuery)
