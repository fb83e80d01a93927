"""Differential test: our composer against Apollo's (@apollo/composition, run with Node).

For every fixture, and for the project's own subgraphs, the two supergraphs are
semantically equal (same definitions and directive applications, in any order), or
both composers fail with the same error codes. Skips locally without Node; CI runs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from router.composition.compose import SubgraphSource, compose
from tests.support.apollo import (
    ApolloResult,
    apollo_compose,
    apollo_compose_many,
    fixture_cases,
    fixture_subgraphs,
    require_apollo,
)
from tests.support.sdl_compare import assert_same_sdl

REPO = Path(__file__).resolve().parents[3]
CASES = fixture_cases()


@pytest.fixture(scope="module")
def apollo() -> dict[str, ApolloResult]:
    require_apollo()
    results = apollo_compose_many([fixture_subgraphs(case) for case in CASES])
    return {case.name: result for case, result in zip(CASES, results, strict=True)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_result_as_apollo(case: Path, apollo: dict[str, ApolloResult]) -> None:
    reference = apollo[case.name]
    ours = compose([SubgraphSource(*subgraph) for subgraph in fixture_subgraphs(case)])
    if reference.supergraph is None:
        assert ours.supergraph is None
        assert {e.code for e in ours.errors} == reference.error_codes
    else:
        assert ours.errors == []
        assert ours.supergraph is not None
        assert_same_sdl(ours.supergraph, reference.supergraph)


def test_the_projects_own_supergraph_equals_apollos() -> None:
    require_apollo()
    subgraphs = [
        ("tasks", "http://127.0.0.1:4002/graphql", (REPO / "schema/tasks.graphql").read_text()),
        ("users", "http://127.0.0.1:4001/graphql", (REPO / "schema/users.graphql").read_text()),
    ]
    reference = apollo_compose(subgraphs)
    assert reference.supergraph is not None, reference.errors
    ours = compose([SubgraphSource(*subgraph) for subgraph in subgraphs])
    assert ours.supergraph == reference.supergraph
    committed = (REPO / "schema/supergraph.graphql").read_text()
    assert_same_sdl(committed, reference.supergraph)
