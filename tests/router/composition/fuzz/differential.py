"""Run generated subgraph sets through both composers and classify their disagreements.

Apollo's composer runs in one Node process per batch (``apollo_compose_many``), two batches
at a time, so thousands of sets cost one Node start-up per batch, not one per set. A
disagreement is classified by what differs, most important first: one composer fails and the
other does not (with the error codes of the failing one), different error codes, different
messages for the same codes, or a different supergraph text.

Run a larger campaign, print its figures and a few examples per class::

    .venv/bin/python -m tests.router.composition.fuzz.differential --sets 20000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from router.composition.compose import CompositionResult, SubgraphSource, compose
from tests.router.composition.fuzz.generator import generate
from tests.support.apollo import ApolloResult, apollo_compose_many, subgraph_url

BATCH_SIZE = 200
"""Sets per Node process: few enough to stay well inside the harness timeout when loaded."""

NODE_PROCESSES = 2
"""Node processes composing batches at the same time (CI machines have two cores)."""

CI_SETS = 2000
"""The seeds 0 .. CI_SETS - 1 run by the test-suite (tests/router/composition/test_fuzz.py)."""

KNOWN_FILE = Path(__file__).with_name("known_disagreements.json")
"""The disagreements not fixed yet among the CI seeds: class -> seeds (see ``--write-known``)."""


@dataclass(frozen=True)
class Outcome:
    """One generated set, and the class of the composers' disagreement (None: they agree)."""

    seed: int
    subgraphs: list[tuple[str, str, str]]
    disagreement: str | None


def classify(ours: CompositionResult, reference: ApolloResult) -> str | None:
    """The class of the disagreement between our result and Apollo's, or None."""
    our_codes = sorted({e.code for e in ours.errors})
    their_codes = sorted(reference.error_codes)
    if reference.supergraph is not None and ours.supergraph is None:
        return "we refuse, Apollo composes: " + ",".join(our_codes)
    if reference.supergraph is None and ours.supergraph is not None:
        return "we compose, Apollo refuses: " + ",".join(their_codes)
    if reference.supergraph is None:
        if our_codes != their_codes:
            return (
                f"error codes differ: ours {','.join(our_codes)} / Apollo {','.join(their_codes)}"
            )
        ours_sorted = sorted((e.code, e.message) for e in ours.errors)
        if ours_sorted != sorted(reference.errors):
            differing = {c for c, _ in set(ours_sorted) ^ set(reference.errors)}
            return "messages differ: " + ",".join(sorted(differing))
        return None
    if ours.supergraph != reference.supergraph:
        return "supergraph text differs"
    return None


def _chunks(seeds: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(seeds), BATCH_SIZE):
        yield seeds[start : start + BATCH_SIZE]


def run(seeds: Iterable[int]) -> list[Outcome]:
    """Compose the sets ``seeds`` with both composers; one Outcome per seed, in order.

    Apollo's batches run in NODE_PROCESSES Node processes at a time, while this process
    composes the same sets with ours.
    """
    chunks = list(_chunks(list(seeds)))
    sets = [
        [[(n, subgraph_url(n), sdl) for n, sdl in generate(seed)] for seed in c] for c in chunks
    ]
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=NODE_PROCESSES) as pool:
        pending = [pool.submit(apollo_compose_many, chunk_sets) for chunk_sets in sets]
        for chunk, chunk_sets, future in zip(chunks, sets, pending, strict=True):
            ours = [compose([SubgraphSource(*s) for s in subgraphs]) for subgraphs in chunk_sets]
            for seed, subgraphs, mine, reference in zip(
                chunk, chunk_sets, ours, future.result(), strict=True
            ):
                outcomes.append(Outcome(seed, subgraphs, classify(mine, reference)))
    return outcomes


def summary(outcomes: list[Outcome]) -> Counter[str]:
    """How many sets fall in each disagreement class."""
    return Counter(o.disagreement for o in outcomes if o.disagreement is not None)


def load_known() -> dict[str, list[int]]:
    """The committed ledger of known disagreements among the CI seeds."""
    known: dict[str, list[int]] = json.loads(KNOWN_FILE.read_text(encoding="utf-8"))
    return known


def write_known(outcomes: list[Outcome]) -> None:
    """Write the ledger from a run's outcomes."""
    known: dict[str, list[int]] = {}
    for outcome in outcomes:
        if outcome.disagreement is not None:
            known.setdefault(outcome.disagreement, []).append(outcome.seed)
    text = json.dumps(dict(sorted(known.items())), indent=1) + "\n"
    KNOWN_FILE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run a campaign; print the figures, and a few seeds per class. Exit 1 on disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=CI_SETS)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--examples", type=int, default=3, help="seeds shown per class")
    parser.add_argument(
        "--write-known", action="store_true", help=f"rewrite {KNOWN_FILE.name} from this run"
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    outcomes = run(range(args.start, args.start + args.sets))
    elapsed = time.perf_counter() - began
    classes = summary(outcomes)
    agreed = len(outcomes) - sum(classes.values())
    print(f"{len(outcomes)} sets in {elapsed:.1f} s: {agreed} agree, {sum(classes.values())} not")
    for name, count in classes.most_common():
        seeds = [o.seed for o in outcomes if o.disagreement == name][: args.examples]
        print(f"{count:6d}  {name}  (seeds {', '.join(map(str, seeds))})")
    if args.write_known:
        write_known(outcomes)
    return 1 if classes else 0


if __name__ == "__main__":
    sys.exit(main())
