"""Plan snapshots of the outage scenarios (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_does_not_depend_on_which_subgraph_is_down(
    reviews_down: Federation, users_down: Federation
) -> None:
    query = "{ me { name reviews { body } } topReviews { author { name } } }"

    assert reviews_down.plan(query) == users_down.plan(query)
    assert_snapshot(reviews_down.plan(query), HERE / "plan_outage.json")
