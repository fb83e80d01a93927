"""Our composer on the fixture corpus: Apollo's supergraph byte for byte, or its errors.

Every folder under fixtures/ holds subgraph SDLs and what @apollo/composition made of
them (see tools/apollo-composition/generate_expected.py); this test needs no Node.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from router.composition.compose import SubgraphSource, compose
from tests.support.apollo import fixture_cases, fixture_subgraphs

CASES = fixture_cases()


def _sources(case: Path) -> list[SubgraphSource]:
    return [SubgraphSource(name, url, sdl) for name, url, sdl in fixture_subgraphs(case)]


def _ids(cases: list[Path]) -> list[str]:
    return [case.name for case in cases]


SUCCESS = [c for c in CASES if (c / "supergraph.graphql").exists()]
FAILURE = [c for c in CASES if (c / "errors.json").exists()]


def test_the_corpus_has_the_promised_breadth() -> None:
    assert len(SUCCESS) >= 30
    assert len(FAILURE) >= 30


@pytest.mark.parametrize("case", SUCCESS, ids=_ids(SUCCESS))
def test_supergraph_is_apollos_byte_for_byte(case: Path) -> None:
    result = compose(_sources(case))
    assert result.errors == []
    assert result.supergraph == (case / "supergraph.graphql").read_text()


@pytest.mark.parametrize("case", FAILURE, ids=_ids(FAILURE))
def test_errors_are_apollos_codes_and_messages(case: Path) -> None:
    expected = sorted(
        (e["code"], e["message"]) for e in json.loads((case / "errors.json").read_text())
    )
    result = compose(_sources(case))
    assert result.supergraph is None
    assert sorted((e.code, e.message) for e in result.errors) == expected


@pytest.mark.parametrize("case", SUCCESS, ids=_ids(SUCCESS))
def test_composition_is_deterministic_whatever_the_subgraph_order(case: Path) -> None:
    sources = _sources(case)
    first = compose(sources).supergraph
    shuffled = list(reversed(sources))
    random.Random(7).shuffle(shuffled)
    assert compose(sources).supergraph == first
    assert compose(shuffled).supergraph == first
