"""Plan snapshots of variables (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_declares_each_variable_with_its_default_where_it_is_used(
    fed: Federation,
) -> None:
    plan = fed.plan(
        "query($n: Int = 1, $s: Int = 5) { products(first: $n) { reviews(stars: $s) { body } } }"
    )

    assert_snapshot(plan, HERE / "plan_variables.json")
