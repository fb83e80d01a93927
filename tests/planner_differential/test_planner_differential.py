"""The fedtasks router answers every generated operation as Apollo's gateway does.

For each supergraph of the corpus (``corpus.py``), 25 seeded operations run through the
router (in process) and Apollo's gateway (Node) against the same deterministic mock
subgraphs over HTTP, and no plan of the router has a longer chain of fetches than Apollo's.
Every difference must be one recorded in ``known_differences.json`` with its class, and
every recorded one must still occur: fixing a class means removing its entries
(``python -m tests.planner_differential.report --write``), never letting new ones in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from router.supergraph.errors import SupergraphError
from router.supergraph.reader import read_supergraph
from tests.planner_differential.apollo import ApolloError, ApolloReference, require_apollo
from tests.planner_differential.corpus import CorpusEntry, corpus
from tests.planner_differential.differential import SupergraphRun
from tests.planner_differential.expectations import CLASSES, load_known
from tests.planner_differential.mock_server import MockServer

ENTRIES = corpus()
KNOWN = load_known()


@pytest.fixture(scope="module")
def apollo() -> Iterator[ApolloReference]:
    require_apollo()
    reference = ApolloReference()
    yield reference
    reference.close()


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    mocks = MockServer()
    mocks.start()
    yield mocks
    mocks.stop()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.key for e in ENTRIES])
async def test_router_answers_as_apollo(
    entry: CorpusEntry, apollo: ApolloReference, server: MockServer
) -> None:
    known = KNOWN.get(entry.key, {})
    try:
        run = SupergraphRun(entry, apollo, server)
    except ApolloError:
        # Apollo's gateway refuses the supergraph (a feature for SECURITY it does not
        # implement): the router must refuse it too.
        assert known == {"load": "both-refuse-supergraph"}
        with pytest.raises(SupergraphError):
            read_supergraph(entry.supergraph())
        return
    try:
        results = await run.compare(run.operations())
        # Plan quality: no longer a chain of sequential fetches than Apollo's plan has (the
        # report prints the total fetches beside Apollo's).
        deeper = []
        for result in results:
            sizes = run.plan_sizes(result.operation)
            if sizes is not None and sizes[0].depth > sizes[1].depth:
                deeper.append(f"#{result.index}: {sizes[0].depth} > {sizes[1].depth}")
    finally:
        run.close()
    assert not deeper, f"plans with a longer chain of fetches than Apollo's: {deeper}"
    assert all(k in CLASSES for k in known.values()), known
    # A tiny API (conformance-subscriptions has one query field) has fewer than 25.
    assert len(results) >= 5, "the generator found too few valid operations"
    found = {str(r.index): r.klass for r in results if r.klass is not None}
    # The recorded class may be a finer one than classify() tells (expectations.CLASSES).
    new = {i: k for i, k in found.items() if i not in known}
    fixed = {i: k for i, k in known.items() if i not in found}
    details = [
        f"#{r.index} [{r.klass}] {r.operation.query}\n  router: {r.ours}\n  apollo: {r.theirs}"
        for r in results
        if str(r.index) in new
    ]
    assert not new, "differences not recorded:\n" + "\n".join(details)
    assert not fixed, f"recorded differences that no longer occur (remove them): {fixed}"
