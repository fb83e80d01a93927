"""Plan snapshots of fragments (UPDATE_SNAPSHOTS=1 rewrites the .json files)."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.harness import Federation, assert_snapshot

HERE = Path(__file__).parent


def test_plan_of_a_fragment_that_cannot_match_asks_only_typename(fed: Federation) -> None:
    plan = fed.plan('{ node(id: "u1") { ... on Post { title } } }')

    assert_snapshot(plan, HERE / "plan_never_matching_fragment.json")


def test_plan_of_named_fragments_across_subgraphs(fed: Federation) -> None:
    plan = fed.plan(
        "{ me { ...U } } fragment U on User { name posts { ...P } } fragment P on Post { title }"
    )

    assert_snapshot(plan, HERE / "plan_named_fragments.json")
