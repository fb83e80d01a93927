"""Plan snapshots of serial mutations (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_mutations_is_a_sequence_with_entity_fetches_in_between(
    fed: Federation,
) -> None:
    plan = fed.plan(
        """
        mutation {
          createAccount(name: "Ada") { id balance }
          deposit(accountId: "a1", amount: 10) { name }
        }
        """
    )

    assert plan["node"]["kind"] == "Sequence"
    assert_snapshot(plan, HERE / "plan_serial_mutations.json")
