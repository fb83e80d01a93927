"""Plan snapshots of __typename (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_typename_across_subgraphs(fed: Federation) -> None:
    plan = fed.plan("{ __typename nextPatient { __typename name checkup { __typename } } }")

    assert_snapshot(plan, HERE / "plan_typename.json")
