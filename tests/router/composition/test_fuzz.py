"""The differential composition fuzzer: generated subgraph sets, our composer against Apollo's.

Seeds 0 .. CI_SETS - 1 are composed by both (Apollo in one Node process per 200 sets, two at
a time). Every set must agree (success or failure, error codes, messages, supergraph byte for
byte) except those listed in ``fuzz/known_disagreements.json``, the ledger of disagreements
not fixed yet: a new disagreement, or a known set failing in another way, fails the test.
Larger campaigns: ``make fuzz-composition``.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.router.composition.fuzz.differential import CI_SETS, Outcome, load_known, run
from tests.router.composition.fuzz.generator import generate
from tests.support.apollo import require_apollo


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    require_apollo()
    return run(range(CI_SETS))


def test_no_disagreement_outside_the_known_ledger(outcomes: list[Outcome]) -> None:
    known = {(seed, name) for name, seeds in load_known().items() for seed in seeds}
    new = [(o.seed, o.disagreement) for o in outcomes if o.disagreement is not None]
    unexpected = [pair for pair in new if pair not in known]
    assert unexpected == [], f"new disagreements (seed, class): {unexpected[:20]}"


def test_the_ledger_stays_small(outcomes: list[Outcome]) -> None:
    agreed = sum(o.disagreement is None for o in outcomes)
    assert len(outcomes) == CI_SETS
    assert agreed >= 0.9 * CI_SETS


def test_generation_is_deterministic() -> None:
    assert generate(1234) == generate(1234)
    assert generate(1234) != generate(1235)


def test_the_sets_cover_what_the_issue_lists() -> None:
    features = {
        "fed1": lambda sdl: "specs.apollo.dev/federation" not in sdl,
        "compound key": lambda sdl: 'fields: "id sku"' in sdl,
        "nested key": lambda sdl: "org { id }" in sdl,
        "non-resolvable key": lambda sdl: "resolvable: false" in sdl,
        "@extends": lambda sdl: "@extends" in sdl,
        "@provides": lambda sdl: "@provides(" in sdl,
        "@requires with arguments": lambda sdl: "(unit: String): String @requires" in sdl,
        "@requires with a fragment": lambda sdl: '@requires(fields: "... on ' in sdl,
        "explicit resolvable: true": lambda sdl: "resolvable: true" in sdl,
        "@override": lambda sdl: '@override(from: "' in sdl,
        "@override with label": lambda sdl: 'label: "percent(' in sdl,
        "@interfaceObject": lambda sdl: "@interfaceObject" in sdl,
        "union": lambda sdl: "union SearchResult" in sdl,
        "@inaccessible enum value": lambda sdl: "DRAFT @inaccessible" in sdl,
    }
    seen: Counter[str] = Counter()
    for seed in range(300):
        for _, sdl in generate(seed):
            seen.update(name for name, test in features.items() if test(sdl))
    assert set(seen) == set(features)
    assert all(len(generate(seed)) in (2, 3, 4) for seed in range(100))
