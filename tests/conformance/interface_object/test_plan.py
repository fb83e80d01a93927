"""Plan snapshots of @interfaceObject (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_rewrites_typename_for_the_interface_object(fed: Federation) -> None:
    plan = fed.plan("{ accounts { id lastSeen } }")

    assert_snapshot(plan, HERE / "plan_interface_object.json")
