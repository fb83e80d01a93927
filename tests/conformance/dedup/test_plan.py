"""Plan snapshots of deduplicated fetches (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_two_entity_fetches_under_one_list(fed: Federation) -> None:
    plan = fed.plan("{ reviews { author { name } product { title } } }")

    assert_snapshot(plan, HERE / "plan_two_flattens.json")
