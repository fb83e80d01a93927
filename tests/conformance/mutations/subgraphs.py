"""Mutations in two subgraphs that share one in-memory log.

``accounts`` creates accounts; ``ledger`` owns their balance and takes deposits. Every
resolver appends to ``LOG`` so a test sees which subgraph did what, in which order; the
earlier mutations sleep longer, so running them concurrently would reorder the log.
"""

from __future__ import annotations

import asyncio

import strawberry

from tests.conformance.harness import subgraph

LOG: list[str] = []
ACCOUNTS: dict[str, str] = {}
BALANCES: dict[str, int] = {}


def reset() -> None:
    LOG.clear()
    ACCOUNTS.clear()
    BALANCES.clear()


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return Account(id=id, name=ACCOUNTS[id])


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def accounts(self) -> list[Account]:
        return [Account(id=strawberry.ID(k), name=v) for k, v in ACCOUNTS.items()]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation
    async def create_account(self, name: str, delay: float = 0.0) -> Account:
        await asyncio.sleep(delay)
        id = f"a{len(ACCOUNTS) + 1}"
        ACCOUNTS[id] = name
        LOG.append(f"accounts.createAccount {name}")
        return Account(id=strawberry.ID(id), name=name)


@strawberry.federation.type(keys=["id"], name="Account")
class LedgerAccount:
    id: strawberry.ID

    @strawberry.field
    def balance(self) -> int:
        LOG.append(f"ledger.balance {self.id}")
        return BALANCES.get(self.id, 0)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LedgerAccount:
        return LedgerAccount(id=id)


@strawberry.type
class LedgerQuery:
    @strawberry.field
    def total(self) -> int:
        return sum(BALANCES.values())


@strawberry.type
class LedgerMutation:
    @strawberry.mutation
    async def deposit(
        self, account_id: strawberry.ID, amount: int, delay: float = 0.0
    ) -> LedgerAccount:
        await asyncio.sleep(delay)
        BALANCES[account_id] = BALANCES.get(account_id, 0) + amount
        LOG.append(f"ledger.deposit {account_id} {amount}")
        return LedgerAccount(id=account_id)


accounts = subgraph(AccountsQuery, mutation=AccountsMutation)
ledger = subgraph(LedgerQuery, mutation=LedgerMutation)
