"""Mutation root fields run one at a time, in order, each exactly once, across subgraphs."""

from __future__ import annotations

from tests.conformance.harness import Federation
from tests.conformance.mutations.subgraphs import LOG


async def test_mutations_across_two_subgraphs_run_serially_in_query_order(
    fed: Federation,
) -> None:
    body = await fed.run(
        """
        mutation {
          first: createAccount(name: "Ada", delay: 0.06) { id name }
          deposit(accountId: "a1", amount: 10, delay: 0.03) { id }
          second: createAccount(name: "Bob") { id name }
        }
        """
    )

    assert body == {
        "data": {
            "first": {"id": "a1", "name": "Ada"},
            "deposit": {"id": "a1"},
            "second": {"id": "a2", "name": "Bob"},
        }
    }
    assert LOG == [
        "accounts.createAccount Ada",
        "ledger.deposit a1 10",
        "accounts.createAccount Bob",
    ]


async def test_each_mutation_field_is_sent_once_in_its_own_fetch(fed: Federation) -> None:
    await fed.run(
        'mutation { a: createAccount(name: "A") { id } b: createAccount(name: "B") { id } }'
    )

    # __typename (with the key) names each returned entity for cache invalidation.
    assert [(r.subgraph, r.query) for r in fed.requests] == [
        ("accounts", 'mutation{a:createAccount(name:"A"){id __typename}}'),
        ("accounts", 'mutation{b:createAccount(name:"B"){id __typename}}'),
    ]
    assert LOG == ["accounts.createAccount A", "accounts.createAccount B"]


async def test_a_mutation_result_is_completed_before_the_next_mutation_runs(
    fed: Federation,
) -> None:
    body = await fed.run(
        """
        mutation {
          open: createAccount(name: "Ada") { id name balance }
          deposit(accountId: "a1", amount: 10) { id balance }
          again: deposit(accountId: "a1", amount: 5) { balance name }
        }
        """
    )

    assert body == {
        "data": {
            "open": {"id": "a1", "name": "Ada", "balance": 0},
            "deposit": {"id": "a1", "balance": 10},
            "again": {"balance": 15, "name": "Ada"},
        }
    }
    assert LOG == [
        "accounts.createAccount Ada",
        "ledger.balance a1",
        "ledger.deposit a1 10",
        "ledger.balance a1",
        "ledger.deposit a1 5",
        "ledger.balance a1",
    ]


async def test_mutation_typename_is_answered_by_the_router(fed: Federation) -> None:
    body = await fed.run('mutation { __typename createAccount(name: "Ada") { __typename } }')

    assert body == {"data": {"__typename": "Mutation", "createAccount": {"__typename": "Account"}}}
    assert LOG == ["accounts.createAccount Ada"]


async def test_mutation_variables_reach_each_serial_fetch(fed: Federation) -> None:
    body = await fed.run(
        """
        mutation Open($name: String!, $amount: Int!) {
          createAccount(name: $name) { id }
          deposit(accountId: "a1", amount: $amount) { balance }
        }
        """,
        {"name": "Eve", "amount": 7},
    )

    assert body == {"data": {"createAccount": {"id": "a1"}, "deposit": {"balance": 7}}}
    assert [sorted(r.variables) for r in fed.requests] == [["name"], ["amount"]]
