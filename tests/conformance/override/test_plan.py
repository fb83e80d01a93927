"""Plan snapshots of @override (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent
QUERY = "{ products { name inStock rating } }"


def test_plan_with_the_label_off(fed: Federation) -> None:
    assert_snapshot(fed.plan(QUERY), HERE / "plan_label_off.json")


def test_plan_with_the_label_on(beta: Federation) -> None:
    assert_snapshot(beta.plan(QUERY), HERE / "plan_label_on.json")
