"""(Re)generate the expected outputs of the composition fixture corpus with Apollo's composer.

For every case folder under ``tests/router/composition/fixtures`` (or only the cases named on
the command line), compose its subgraphs (``<name>.graphql``, routing URL
``http://<name>:4000/graphql``) with Apollo and write EITHER ``supergraph.graphql`` (the
supergraph exactly as Apollo prints it) OR ``errors.json`` (Apollo's ``{"code", "message"}``
list), removing the other file.

Run from the repository root, after ``npm ci --prefix tools/apollo-composition``::

    .venv/bin/python tools/apollo-composition/generate_expected.py [CASE ...]

It warns when an ``error-<CODE>`` case (or ``error-<CODE>--<suffix>``, as the differential
fuzzer names the cases it finds) does not report ``<CODE>`` or when another case fails to
compose, and exits 1 then.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Make ``tests.support`` importable when run as a script from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.apollo import (
    ERRORS_FILE,
    FIXTURES_DIR,
    SUPERGRAPH_FILE,
    ApolloResult,
    apollo_available,
    apollo_compose,
    fixture_cases,
    fixture_subgraphs,
)

ERROR_CASE_PREFIX = "error-"


def expected_code(case_name: str) -> str:
    """The error code an ``error-<CODE>`` or ``error-<CODE>--<suffix>`` case promises."""
    return case_name.removeprefix(ERROR_CASE_PREFIX).split("--")[0]


def generate(case_dir: Path) -> tuple[str, str]:
    """Write ``case_dir``'s expected output; return a status and what Apollo reported.

    The status is ``ok``, ``note`` (extra error codes) or ``WARN`` (the case does not show what
    its name promises).
    """
    result: ApolloResult = apollo_compose(fixture_subgraphs(case_dir))
    supergraph_file = case_dir / SUPERGRAPH_FILE
    errors_file = case_dir / ERRORS_FILE
    if result.supergraph is not None:
        supergraph_file.write_text(result.supergraph, encoding="utf-8", newline="")
        errors_file.unlink(missing_ok=True)
    else:
        errors = [{"code": code, "message": message} for code, message in result.errors]
        errors_file.write_text(json.dumps(errors, indent=2) + "\n", encoding="utf-8")
        supergraph_file.unlink(missing_ok=True)

    codes = sorted(result.error_codes)
    if case_dir.name.startswith(ERROR_CASE_PREFIX):
        wanted = expected_code(case_dir.name)
        if wanted not in codes:
            return "WARN", f"expected error code {wanted}, got {codes or 'success'}"
        if codes != [wanted]:
            return "note", f"extra codes besides {wanted}: {codes}"
        return "ok", wanted
    if codes:
        return "WARN", f"expected success, got {codes}"
    return "ok", "composed"


def main(argv: list[str] | None = None) -> int:
    """Regenerate the named cases (default: all); return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case folder names (default: every case)")
    args = parser.parse_args(argv)
    if not apollo_available():
        print("Apollo's composer is not installed: npm ci --prefix tools/apollo-composition")
        return 2
    cases = [FIXTURES_DIR / c for c in args.cases] if args.cases else fixture_cases()
    failed = False
    for case_dir in cases:
        status, detail = generate(case_dir)
        failed = failed or status == "WARN"
        print(f"{status:<5} {case_dir.name}: {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
