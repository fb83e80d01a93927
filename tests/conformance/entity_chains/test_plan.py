"""Plan snapshots of chained jumps (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_three_subgraph_chain(fed: Federation) -> None:
    plan = fed.plan("{ me { name reviews { body product { title maker { name } } } } }")

    assert plan["node"]["kind"] == "Sequence"
    assert_snapshot(plan, HERE / "plan_chain.json")
