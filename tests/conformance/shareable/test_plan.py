"""Plan snapshots of shareable fields (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_shareable_fields_from_two_roots(fed: Federation) -> None:
    plan = fed.plan("{ reviews { product { name price { amount } } } products { name } }")

    assert_snapshot(plan, HERE / "plan_shareable.json")
