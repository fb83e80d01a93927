"""Plan snapshots of a nested key (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_nested_key_jump(fed: Federation) -> None:
    plan = fed.plan("{ members { title salary } }")

    assert_snapshot(plan, HERE / "plan_nested_key.json")
