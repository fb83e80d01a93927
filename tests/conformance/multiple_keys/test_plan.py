"""Plan snapshots with several keys (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_feeds_each_subgraph_the_key_it_declares(fed: Federation) -> None:
    plan = fed.plan("{ user(id: 1) { subscribed karma } }")

    assert_snapshot(plan, HERE / "plan_two_keys.json")
