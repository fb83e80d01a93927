"""``__typename`` on objects, interfaces, unions and entities from another subgraph.

- ``shop``: ``interface Animal { id name }`` implemented by ``Dog`` and ``Cat`` (entities),
  ``union Pet = Dog | Cat``, ``Owner { name pet }``.
- ``vet``: ``Dog`` and ``Cat`` entities with ``checkup: Checkup``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from tests.conformance.harness import subgraph


@strawberry.interface
class Animal:
    id: strawberry.ID
    name: str


@strawberry.federation.type(keys=["id"])
class Dog(Animal):
    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Dog:
        return Dog(id=id, name="Rex")


@strawberry.federation.type(keys=["id"])
class Cat(Animal):
    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Cat:
        return Cat(id=id, name="Tom")


Pet = Annotated[Dog | Cat, strawberry.union("Pet")]


@strawberry.type
class Owner:
    name: str
    pet: Pet


@strawberry.type
class ShopQuery:
    @strawberry.field
    def animals(self) -> list[Animal]:
        return [Dog(id=strawberry.ID("d1"), name="Rex"), Cat(id=strawberry.ID("c1"), name="Tom")]

    @strawberry.field
    def pets(self) -> list[Pet]:
        return [Cat(id=strawberry.ID("c1"), name="Tom"), Dog(id=strawberry.ID("d1"), name="Rex")]

    @strawberry.field
    def owner(self) -> Owner:
        return Owner(name="Ada", pet=Dog(id=strawberry.ID("d1"), name="Rex"))


@strawberry.type
class Checkup:
    date: str


@strawberry.federation.type(name="Dog", keys=["id"])
class VetDog:
    id: strawberry.ID

    @strawberry.field
    def checkup(self) -> Checkup:
        return Checkup(date="2024-01-01")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> VetDog:
        return VetDog(id=id)


@strawberry.federation.type(name="Cat", keys=["id"])
class VetCat:
    id: strawberry.ID

    @strawberry.field
    def checkup(self) -> Checkup | None:
        return None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> VetCat:
        return VetCat(id=id)


@strawberry.type
class VetQuery:
    @strawberry.field
    def next_patient(self) -> VetDog:
        return VetDog(id=strawberry.ID("d1"))


shop = subgraph(ShopQuery, types=(Dog, Cat))
vet = subgraph(VetQuery, types=(VetCat,))
