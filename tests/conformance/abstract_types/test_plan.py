"""Plan snapshots of type explosion (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_an_interface_field_exploded_per_implementation(fed: Federation) -> None:
    assert_snapshot(fed.plan("{ items { id price } }"), HERE / "plan_interface_explosion.json")


def test_plan_of_a_union_with_members_from_several_subgraphs(fed: Federation) -> None:
    plan = fed.plan("{ headlines { ... on Book { name stock } ... on Magazine { title } } }")

    assert_snapshot(plan, HERE / "plan_union_members.json")
