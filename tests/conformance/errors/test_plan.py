"""Plan snapshots of the error scenarios (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_an_entity_fetch_under_a_list(fed: Federation) -> None:
    assert_snapshot(fed.plan("{ reviews { body author { name } } }"), HERE / "plan_errors.json")
