"""Plan snapshots of @requires (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_fetches_a_required_field_from_a_third_subgraph_first(fed: Federation) -> None:
    plan = fed.plan("{ products { name shippingEstimate } }")

    assert_snapshot(plan, HERE / "plan_requires_chain.json")


def test_plan_of_a_nested_requires(fed: Federation) -> None:
    plan = fed.plan("{ products { packaging } }")

    assert_snapshot(plan, HERE / "plan_nested_requires.json")
