"""@requires: a field computed from fields other subgraphs own.

- ``catalog`` owns products' ``name``, ``weight`` and ``size { width height }``.
- ``pricing`` owns ``price`` (and fails for product p3).
- ``inventory`` computes ``shippingEstimate @requires("weight price")`` and
  ``packaging @requires("size { width }")``; it also lists the products it stocks.

``price`` needs its own entity fetch from ``pricing`` before ``inventory`` can be asked.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

SEEN: list[dict[str, object]] = []

PRODUCTS = {
    "p1": ("Table", 2, 100, (120, 80)),
    "p2": ("Lamp", 5, 20, (20, 40)),
    "p3": ("Chair", 1, None, (45, 90)),
}


@strawberry.federation.type(shareable=True)
class Size:
    width: int
    height: int


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str
    weight: int
    size: Size

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        name, weight, _, (width, height) = PRODUCTS[upc]
        return Product(upc=upc, name=name, weight=weight, size=Size(width=width, height=height))


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in ("p1", "p2")]

    @strawberry.field
    def all_products(self) -> list[Product]:
        return [Product.resolve_reference(upc) for upc in PRODUCTS]


@strawberry.federation.type(name="Product", keys=["upc"])
class PricedProduct:
    upc: str
    price: int

    @classmethod
    def resolve_reference(cls, upc: str) -> PricedProduct:
        price = PRODUCTS[upc][2]
        if price is None:
            raise ValueError(f"no price for {upc}")
        return PricedProduct(upc=upc, price=price)


@strawberry.type
class PricingQuery:
    @strawberry.field
    def cheapest(self) -> PricedProduct:
        return PricedProduct(upc="p2", price=20)


@strawberry.federation.type(name="Size", shareable=True)
class InventorySize:
    width: int


@strawberry.federation.type(name="Product", keys=["upc"])
class StockedProduct:
    upc: str
    # An @external field is declared with the type of the subgraphs resolving it (non-null):
    # Apollo's composer refuses a nullable copy (EXTERNAL_TYPE_MISMATCH). Here the values
    # are None until a representation brings them.
    weight: int | None = strawberry.federation.field(external=True, default=None, graphql_type=int)
    price: int | None = strawberry.federation.field(external=True, default=None, graphql_type=int)
    size: InventorySize | None = strawberry.federation.field(
        external=True, default=None, graphql_type=InventorySize
    )

    @strawberry.federation.field(requires=["weight price"])
    def shipping_estimate(self) -> int | None:
        if self.weight is None or self.price is None:
            raise ValueError(f"shippingEstimate of {self.upc} needs weight and price")
        return 0 if self.price >= 50 else self.weight * 10

    @strawberry.federation.field(requires=["size { width }"])
    def packaging(self) -> str | None:
        if self.size is None:
            raise ValueError(f"packaging of {self.upc} needs size")
        return "crate" if self.size.width > 100 else "box"

    @classmethod
    def resolve_reference(
        cls,
        upc: str,
        weight: int | None = None,
        price: int | None = None,
        size: dict[str, int] | None = None,
    ) -> StockedProduct:
        representation: dict[str, object] = {"upc": upc}
        for name, value in (("weight", weight), ("price", price), ("size", size)):
            if value is not None:
                representation[name] = value
        SEEN.append(representation)
        return StockedProduct(
            upc=upc,
            weight=weight,
            price=price,
            size=InventorySize(width=size["width"]) if size else None,
        )


@strawberry.type
class InventoryQuery:
    @strawberry.field
    def stocked(self) -> list[StockedProduct]:
        return [StockedProduct(upc="p2"), StockedProduct(upc="p1")]


catalog = subgraph(CatalogQuery)
pricing = subgraph(PricingQuery)
inventory = subgraph(InventoryQuery)
