"""Plan snapshots of @skip/@include (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_root_field_under_include(fed: Federation) -> None:
    plan = fed.plan("query($u: Boolean!) { me @include(if: $u) { name } topReviews { body } }")

    assert_snapshot(plan, HERE / "plan_root_condition.json")
