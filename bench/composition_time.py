"""Composition time: our composer against Apollo's (@apollo/composition) on the same subgraphs.

Two inputs: the project's own subgraphs (schema/users.graphql, schema/tasks.graphql) and the
largest composing case of the fixture corpus (by SDL size). Each composer composes each input
``--repeat`` times after ``--warmup`` untimed runs, in its own process (ours in this one,
Apollo's in one Node process, so Node's start-up is not counted); the median time per
composition and the ratio ours / Apollo's are printed. Needs Node and
``npm ci --prefix tools/apollo-composition``::

    .venv/bin/python bench/composition_time.py [--repeat 30] [--warmup 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from router.composition.compose import SubgraphSource, compose  # noqa: E402

HARNESS = REPO / "tools" / "apollo-composition" / "compose.mjs"
FIXTURES = REPO / "tests" / "router" / "composition" / "fixtures"

Subgraphs = list[tuple[str, str, str]]


def project_subgraphs() -> Subgraphs:
    """The project's subgraphs with the routing URLs of `fedtasks compose`'s defaults."""
    return [
        ("tasks", "http://127.0.0.1:4002/graphql", (REPO / "schema/tasks.graphql").read_text()),
        ("users", "http://127.0.0.1:4001/graphql", (REPO / "schema/users.graphql").read_text()),
    ]


def largest_fixture() -> tuple[str, Subgraphs]:
    """The composing fixture case with the most SDL text, and its subgraphs."""
    cases = [c for c in FIXTURES.iterdir() if (c / "supergraph.graphql").is_file()]

    def size(case: Path) -> int:
        return sum(len(p.read_text()) for p in case.glob("*.graphql") if p.stem != "supergraph")

    case = max(cases, key=size)
    files = sorted(p for p in case.glob("*.graphql") if p.stem != "supergraph")
    return case.name, [(p.stem, f"http://{p.stem}:4000/graphql", p.read_text()) for p in files]


def ours(subgraphs: Subgraphs, repeat: int, warmup: int) -> list[float]:
    """Seconds per composition with our composer."""
    sources = [SubgraphSource(*s) for s in subgraphs]
    for _ in range(warmup):
        compose(sources)
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compose(sources)
        seconds.append(time.perf_counter() - start)
        if result.supergraph is None:
            raise SystemExit(f"our composer refused the input: {result.errors}")
    return seconds


def apollos(subgraphs: Subgraphs, repeat: int, warmup: int) -> list[float]:
    """Seconds per composition with Apollo's composer, timed inside Node."""
    node = shutil.which("node")
    if node is None or not (HARNESS.parent / "node_modules").is_dir():
        raise SystemExit("needs node and `npm ci --prefix tools/apollo-composition`")
    payload = {
        "bench": {
            "subgraphs": [{"name": n, "url": u, "sdl": s} for n, u, s in subgraphs],
            "repeat": repeat,
            "warmup": warmup,
        }
    }
    proc = subprocess.run(
        [node, str(HARNESS)],
        cwd=HARNESS.parent,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    seconds: list[float] = json.loads(proc.stdout)["seconds"]
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Time both composers on both inputs and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)
    name, largest = largest_fixture()
    inputs = [("project subgraphs (schema/)", project_subgraphs()), (f"fixture {name}", largest)]
    print(f"median of {args.repeat} compositions after {args.warmup} warm-up runs")
    print(f"{'input':<45} {'ours ms':>9} {'Apollo ms':>10} {'ours/Apollo':>12}")
    for label, subgraphs in inputs:
        mine = statistics.median(ours(subgraphs, args.repeat, args.warmup))
        theirs = statistics.median(apollos(subgraphs, args.repeat, args.warmup))
        print(f"{label:<45} {mine * 1e3:9.2f} {theirs * 1e3:10.2f} {mine / theirs:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
