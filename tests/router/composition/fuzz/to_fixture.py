"""Turn generated subgraph sets into fixture cases of the composition corpus.

For every seed named on the command line, write the set's subgraphs under
``tests/router/composition/fixtures/`` and Apollo's expected output next to them (as
``tools/apollo-composition/generate_expected.py`` does). A set Apollo composes becomes
``fuzz-<seed>``; one it refuses becomes ``error-<CODE>--fuzz-<seed>``, CODE being the first
of Apollo's error codes. The files are a snapshot: a later generator may draw other sets for
the same seed::

    .venv/bin/python -m tests.router.composition.fuzz.to_fixture 37 61 134
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.router.composition.fuzz.generator import generate
from tests.support.apollo import FIXTURES_DIR, apollo_compose, subgraph_url

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "tools" / "apollo-composition"))

from generate_expected import generate as write_expected


def case_name(seed: int) -> str:
    """The fixture folder name for the set ``seed``, from what Apollo makes of it."""
    subgraphs = [(n, subgraph_url(n), sdl) for n, sdl in generate(seed)]
    result = apollo_compose(subgraphs)
    if result.supergraph is not None:
        return f"fuzz-{seed}"
    return f"error-{result.errors[0][0]}--fuzz-{seed}"


def write_case(seed: int) -> Path:
    """Write the set ``seed`` and its expected output as a fixture case; return its folder."""
    case_dir = FIXTURES_DIR / case_name(seed)
    case_dir.mkdir(exist_ok=True)
    for name, sdl in generate(seed):
        (case_dir / f"{name}.graphql").write_text(sdl, encoding="utf-8")
    status, detail = write_expected(case_dir)
    print(f"{status:<5} {case_dir.name}: {detail}")
    return case_dir


def main(argv: list[str]) -> int:
    """Write a case per seed in ``argv``."""
    for seed in argv:
        write_case(int(seed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
