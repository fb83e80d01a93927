"""@external: a field a subgraph declares but does not resolve.

- ``catalog`` owns ``Product { upc name price }``.
- ``inventory`` declares ``Product.name @external`` (for ``label @requires("name")``)
  and lists its stock. Asking for ``name`` under ``inventory``'s root must go to
  ``catalog``: ``inventory`` answers it with a placeholder that must never be shown.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

NAMES = {"p1": "Table", "p2": "Lamp"}


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str
    price: int

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        return Product(upc=upc, name=NAMES[upc], price=len(NAMES[upc]))


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in NAMES]


@strawberry.federation.type(name="Product", keys=["upc"])
class Stocked:
    upc: str
    name: str = strawberry.federation.field(external=True, default="NOT RESOLVED HERE")
    count: int = 0

    @strawberry.federation.field(requires=["name"])
    def label(self) -> str:
        return f"{self.name.upper()} x{self.count}"

    @classmethod
    def resolve_reference(cls, upc: str, name: str = "NOT RESOLVED HERE") -> Stocked:
        return Stocked(upc=upc, name=name, count=STOCK[upc])


STOCK = {"p1": 3, "p2": 0}


@strawberry.type
class InventoryQuery:
    @strawberry.field
    def stock(self) -> list[Stocked]:
        return [Stocked(upc=upc, count=count) for upc, count in STOCK.items()]


catalog = subgraph(CatalogQuery)
inventory = subgraph(InventoryQuery)
