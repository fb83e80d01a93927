"""Plan snapshots with introspection (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_leaves_introspection_out_of_every_fetch(fed: Federation) -> None:
    plan = fed.plan("{ __schema { queryType { name } } me { __typename reviews { body } } }")

    assert_snapshot(plan, HERE / "plan_introspection_and_fields.json")
