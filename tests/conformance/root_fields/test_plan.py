"""Plan snapshots of root fields (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_root_fields_from_two_subgraphs(fed: Federation) -> None:
    plan = fed.plan("{ __typename me { name } topProducts(first: 1) { upc } user(id: 2) { id } }")

    assert plan["node"]["kind"] == "Parallel"
    assert_snapshot(plan, HERE / "plan_two_subgraphs.json")


def test_plan_of_typename_only_has_no_fetch(fed: Federation) -> None:
    assert fed.plan("{ __typename }") == {"kind": "QueryPlan", "node": None}
