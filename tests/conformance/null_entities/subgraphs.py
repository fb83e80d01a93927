"""An entity one subgraph does not know: only the fields it contributes become null.

- ``books``: ``Book @key(id)`` with ``title``; ``Query.books`` answers b1 and b2.
- ``shelves``: ``Book @key(id)`` with ``shelf: String`` and ``position: Int!``; it knows
  b1 only (``_entities`` answers null for b2).
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

TITLES = {"b1": "Dune", "b2": "Emma"}


@strawberry.federation.type(keys=["id"])
class Book:
    id: strawberry.ID
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Book:
        return Book(id=id, title=TITLES[id])


@strawberry.type
class BooksQuery:
    @strawberry.field
    def books(self) -> list[Book | None]:
        return [Book.resolve_reference(strawberry.ID(i)) for i in ("b1", "b2")]


@strawberry.federation.type(name="Book", keys=["id"])
class ShelvedBook:
    id: strawberry.ID
    shelf: str | None
    position: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ShelvedBook | None:
        return ShelvedBook(id=id, shelf="A", position=1) if id == "b1" else None


@strawberry.type
class ShelvesQuery:
    @strawberry.field
    def shelf_count(self) -> int:
        return 1


books = subgraph(BooksQuery)
shelves = subgraph(ShelvesQuery, types=(ShelvedBook,))
