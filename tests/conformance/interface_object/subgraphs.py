"""An entity interface in one subgraph, seen as an @interfaceObject in another.

- ``accounts``: ``interface Account @key(id)`` implemented by ``Personal { owner }`` and
  ``Business { company }``; ``_entities`` resolves ``Account`` representations to the
  concrete type.
- ``activity``: ``type Account @key(id) @interfaceObject { id lastSeen }``; it does not
  know the concrete types, so their ``__typename`` and fields come from ``accounts``.
  Its recent accounts include id 404, which ``accounts`` does not know.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

KINDS = {"1": "personal", "2": "business", "3": "personal"}


@strawberry.federation.interface(keys=["id"])
class Account:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account | None:
        kind = KINDS.get(id)
        if kind == "personal":
            return Personal(id=id, owner=f"owner{id}")
        if kind == "business":
            return Business(id=id, company=f"company{id}")
        return None


@strawberry.federation.type(keys=["id"])
class Personal(Account):
    owner: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Personal:
        return Personal(id=id, owner=f"owner{id}")


@strawberry.federation.type(keys=["id"])
class Business(Account):
    company: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Business:
        return Business(id=id, company=f"company{id}")


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def accounts(self) -> list[Account]:
        return [Account.resolve_reference(strawberry.ID(id)) for id in ("1", "2")]  # type: ignore[misc]


@strawberry.federation.interface_object(name="Account", keys=["id"])
class AccountActivity:
    id: strawberry.ID

    @strawberry.field
    def last_seen(self) -> str:
        return {"1": "today", "2": "yesterday", "3": "never"}.get(self.id, "unknown")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> AccountActivity:
        return AccountActivity(id=id)


@strawberry.type
class ActivityQuery:
    @strawberry.field
    def recent_accounts(self) -> list[AccountActivity | None]:
        return [AccountActivity(id=strawberry.ID(id)) for id in ("2", "3")]

    @strawberry.field
    def with_unknown(self) -> list[AccountActivity | None]:
        return [AccountActivity(id=strawberry.ID(id)) for id in ("2", "404")]


accounts = subgraph(AccountsQuery, types=(Personal, Business))
activity = subgraph(ActivityQuery)
