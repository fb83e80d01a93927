"""An entity whose key selects into an object: ``Member @key(fields: "id org { id }")``.

Member ids repeat across organisations, so only the whole nested key identifies one.
- ``staff`` owns members and their title.
- ``payroll`` knows members by the same nested key and owns their salary.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

CALLS: list[tuple[str, str]] = []


@strawberry.federation.type(shareable=True)
class Org:
    id: strawberry.ID


@strawberry.federation.type(keys=["id org { id }"])
class Member:
    id: strawberry.ID
    org: Org
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, org: dict[str, str]) -> Member:
        return Member(id=id, org=Org(id=strawberry.ID(org["id"])), title=TITLES[(org["id"], id)])


TITLES = {("acme", "1"): "CEO", ("acme", "2"): "CTO", ("globex", "1"): "Intern"}


@strawberry.type
class StaffQuery:
    @strawberry.field
    def members(self) -> list[Member]:
        return [
            Member(id=strawberry.ID(m), org=Org(id=strawberry.ID(o)), title=t)
            for (o, m), t in TITLES.items()
        ]


@strawberry.federation.type(name="Member", keys=["id org { id }"])
class Payee:
    id: strawberry.ID
    org: Org

    @strawberry.field
    def salary(self) -> int:
        return {"acme": 100, "globex": 10}[self.org.id] * int(self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, org: dict[str, str]) -> Payee:
        CALLS.append((org["id"], id))
        return Payee(id=id, org=Org(id=strawberry.ID(org["id"])))


@strawberry.type
class PayrollQuery:
    @strawberry.field
    def top_earner(self) -> Payee:
        return Payee(id=strawberry.ID("2"), org=Org(id=strawberry.ID("acme")))


staff = subgraph(StaffQuery)
payroll = subgraph(PayrollQuery)
