"""Plan snapshots of @external (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_jumps_to_the_owner_of_an_external_field(fed: Federation) -> None:
    plan = fed.plan("{ stock { name count } }")

    assert_snapshot(plan, HERE / "plan_external.json")
