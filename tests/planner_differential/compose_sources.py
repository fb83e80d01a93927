"""Compose the supergraphs written for the planner's failure classes with Apollo's composer.

    .venv/bin/python -m tests.planner_differential.compose_sources

Each folder of ``sources/`` holds one ``<subgraph>.graphql`` per subgraph; its supergraph,
as Apollo composes it, is written to ``supergraphs/<folder>.graphql`` (the corpus reads
those). Needs ``npm ci --prefix tools/apollo-composition``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.apollo import apollo_compose_many

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
SUPERGRAPHS = HERE / "supergraphs"


def main() -> int:
    cases = sorted(p for p in SOURCES.iterdir() if p.is_dir())
    subgraphs = [
        [
            (f.stem, f"http://{f.stem}:4000/graphql", f.read_text(encoding="utf-8"))
            for f in sorted(case.glob("*.graphql"))
        ]
        for case in cases
    ]
    failed = 0
    SUPERGRAPHS.mkdir(exist_ok=True)
    for case, result in zip(cases, apollo_compose_many(subgraphs), strict=True):
        if result.supergraph is None:
            failed += 1
            print(f"{case.name}: {result.errors}")
            continue
        (SUPERGRAPHS / f"{case.name}.graphql").write_text(result.supergraph + "\n")
        print(f"{case.name}: composed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
