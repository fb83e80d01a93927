"""Subgraphs whose shapes exercise the query graph's edges and the planner's cost model.

- ``catalog``: ``interface Media { id title }`` implemented by ``Film`` (resolves
  ``title``) and ``Song``, whose ``title`` is @external here: the interface field has no
  direct edge in ``catalog``, so the planner must explode it per implementation and take
  ``Song.title`` from ``music``. ``catalog`` also knows ``Film.studio`` only by its
  ``code`` key.
- ``music``: ``Song`` entity that resolves ``title``.
- ``studios``: ``Studio`` by ``@key(fields: "code")`` with ``name``; also
  ``@key(fields: "id")`` and ``country``.
- ``registry``: ``Studio`` by ``@key(fields: "id")`` only, with ``country`` (shareable) and
  ``founded``: reachable from ``catalog`` only through a chain (``code`` -> ``studios`` ->
  ``id``), so ``country`` must come from ``studios`` (one fetch), not ``registry`` (two).
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

TITLES = {"f1": "Alien", "s1": "Heroes"}
STUDIOS = {"fox": {"id": "st1", "name": "Fox", "country": "US", "founded": 1935}}


@strawberry.interface
class Media:
    id: strawberry.ID
    title: str


@strawberry.federation.type(keys=["code"], name="Studio")
class CatalogStudio:
    code: str


@strawberry.federation.type(keys=["id"])
class Film(Media):
    studio: CatalogStudio

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Film:
        return Film(id=id, title=TITLES[id], studio=CatalogStudio(code="fox"))


@strawberry.federation.type(keys=["id"], name="Song")
class CatalogSong(Media):
    title: str = strawberry.federation.field(external=True)


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def media(self) -> list[Media]:
        return [
            Film.resolve_reference(strawberry.ID("f1")),
            CatalogSong(id=strawberry.ID("s1"), title="(not resolvable here)"),
        ]


@strawberry.federation.type(keys=["id"])
class Song:
    id: strawberry.ID

    @strawberry.field
    def title(self) -> str:
        return TITLES[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Song:
        return Song(id=id)


@strawberry.type
class MusicQuery:
    @strawberry.field
    def songs(self) -> list[Song]:
        return [Song(id=strawberry.ID("s1"))]


@strawberry.federation.type(keys=["code", "id"], name="Studio")
class StudiosStudio:
    code: str
    id: strawberry.ID
    name: str
    country: str = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, **key: str) -> StudiosStudio:
        code = key.get("code") or next(c for c, s in STUDIOS.items() if s["id"] == key["id"])
        row = STUDIOS[code]
        return StudiosStudio(
            code=code,
            id=strawberry.ID(str(row["id"])),
            name=str(row["name"]),
            country=str(row["country"]),
        )


@strawberry.type
class StudiosQuery:
    @strawberry.field
    def studio_count(self) -> int:
        return len(STUDIOS)


@strawberry.federation.type(keys=["id"], name="Studio")
class RegistryStudio:
    id: strawberry.ID
    country: str = strawberry.federation.field(shareable=True)
    founded: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RegistryStudio:
        row = next(s for s in STUDIOS.values() if s["id"] == id)
        return RegistryStudio(id=id, country=str(row["country"]), founded=int(row["founded"]))


@strawberry.type
class RegistryQuery:
    @strawberry.field
    def registered(self) -> int:
        return len(STUDIOS)


catalog = subgraph(CatalogQuery, types=(Film, CatalogSong))
music = subgraph(MusicQuery)
studios = subgraph(StudiosQuery, types=(StudiosStudio,))
registry = subgraph(RegistryQuery, types=(RegistryStudio,))
