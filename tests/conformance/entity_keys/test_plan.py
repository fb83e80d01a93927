"""Plan snapshots of key jumps (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_compound_key_jump(fed: Federation) -> None:
    plan = fed.plan("{ orders { parcel { status } } }")

    assert_snapshot(plan, HERE / "plan_compound_key.json")


def test_plan_of_two_independent_jumps_runs_them_in_parallel(fed: Federation) -> None:
    plan = fed.plan("{ reviews { author { name } } orders { parcel { status } } }")

    assert_snapshot(plan, HERE / "plan_parallel_jumps.json")
