"""Plan snapshots of @provides (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_provided_and_an_unprovided_path(fed: Federation) -> None:
    plan = fed.plan("{ reviews { author { name } } topReviewer { name } }")

    assert_snapshot(plan, HERE / "plan_provides.json")
