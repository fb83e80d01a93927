"""Plan snapshots of query-graph moves (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_an_interface_field_without_a_direct_edge(fed: Federation) -> None:
    assert_snapshot(fed.plan("{ media { id title } }"), HERE / "plan_interface_edge.json")


def test_plan_of_a_key_chain_and_the_cheaper_shareable_source(fed: Federation) -> None:
    plan = fed.plan("{ media { ... on Film { studio { name country founded } } } }")

    assert_snapshot(plan, HERE / "plan_key_chain_cost.json")
