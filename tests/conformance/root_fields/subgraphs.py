"""Root fields owned by two subgraphs.

``meets`` fields on both roots prove the root fetches run concurrently: each sets its own
event and waits (briefly) for the other's, which only works if both are in flight.
"""

from __future__ import annotations

import asyncio

import strawberry

from tests.conformance.harness import subgraph


class Rendezvous:
    """Two events the root resolvers of both subgraphs meet at; reset before each test."""

    users: asyncio.Event
    products: asyncio.Event

    @classmethod
    def reset(cls) -> None:
        cls.users = asyncio.Event()
        cls.products = asyncio.Event()


async def meet(mine: asyncio.Event, other: asyncio.Event) -> bool:
    mine.set()
    try:
        await asyncio.wait_for(other.wait(), timeout=1.0)
    except TimeoutError:
        return False
    return True


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return USERS[id]


USERS = {
    "1": User(id=strawberry.ID("1"), name="Ada"),
    "2": User(id=strawberry.ID("2"), name="Bob"),
}


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User:
        return USERS["1"]

    @strawberry.field
    def user(self, id: strawberry.ID) -> User | None:
        return USERS.get(id)

    @strawberry.field
    async def users_meet(self) -> bool:
        return await meet(Rendezvous.users, Rendezvous.products)


@strawberry.type
class Product:
    upc: str
    title: str


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int = 2) -> list[Product]:
        return [Product(upc=f"p{i}", title=f"Product {i}") for i in range(1, first + 1)]

    @strawberry.field
    async def products_meet(self) -> bool:
        return await meet(Rendezvous.products, Rendezvous.users)


users = subgraph(UsersQuery)
products = subgraph(ProductsQuery)
