"""The composition fixture corpus is Apollo's truth, and the semantic SDL comparison works.

Each folder under ``fixtures/`` holds one ``<subgraph>.graphql`` per subgraph and EITHER
``supergraph.graphql`` (what Apollo's composer prints) OR ``errors.json`` (Apollo's errors).
The live tests re-run Apollo (``tools/apollo-composition``) and check it still agrees; refresh
the corpus with ``.venv/bin/python tools/apollo-composition/generate_expected.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.apollo import (
    ERRORS_FILE,
    SUPERGRAPH_FILE,
    ApolloResult,
    apollo_compose,
    apollo_compose_many,
    fixture_cases,
    fixture_subgraphs,
    require_apollo,
)
from tests.support.sdl_compare import assert_same_sdl, canonical_sdl

CASES = fixture_cases()
ERROR_PREFIX = "error-"


def _case_param(case: Path) -> object:
    return pytest.param(case, id=case.name)


def _expected_codes(case: Path) -> set[str]:
    errors = json.loads((case / ERRORS_FILE).read_text(encoding="utf-8"))
    return {error["code"] for error in errors}


# --- the corpus itself -----------------------------------------------------------------------


def test_corpus_size() -> None:
    errors = [c for c in CASES if c.name.startswith(ERROR_PREFIX)]
    assert len(CASES) - len(errors) >= 25
    assert len(errors) >= 35


@pytest.mark.parametrize("case", [_case_param(c) for c in CASES])
def test_case_is_well_formed(case: Path) -> None:
    assert fixture_subgraphs(case), "a case needs at least one subgraph"
    has_supergraph = (case / SUPERGRAPH_FILE).is_file()
    has_errors = (case / ERRORS_FILE).is_file()
    assert has_supergraph != has_errors, "exactly one of supergraph.graphql and errors.json"
    if case.name.startswith(ERROR_PREFIX):
        assert has_errors
        # error-<CODE>, or error-<CODE>--fuzz-<seed> for the sets the fuzzer turned up.
        assert case.name.removeprefix(ERROR_PREFIX).split("--")[0] in _expected_codes(case)
    else:
        assert has_supergraph
        # Our canonicaliser must cope with every real supergraph.
        supergraph = (case / SUPERGRAPH_FILE).read_text(encoding="utf-8")
        assert canonical_sdl(supergraph) == canonical_sdl(canonical_sdl(supergraph))


def test_corpus_covers_every_join_version() -> None:
    supergraphs = [
        (c / SUPERGRAPH_FILE).read_text(encoding="utf-8")
        for c in CASES
        if (c / SUPERGRAPH_FILE).is_file()
    ]
    for version in ("v0.3", "v0.4", "v0.5"):
        link = f'@link(url: "https://specs.apollo.dev/join/{version}", for: EXECUTION)'
        assert any(link in s for s in supergraphs), version


# --- live: Apollo still produces the committed expectations ---------------------------------


@pytest.fixture(scope="module")
def apollo_results() -> dict[str, ApolloResult]:
    """Apollo's live result for every case, composed in one Node process (Node's start-up and
    module loading dominate: one process per case would take ~0.4 s each)."""
    require_apollo()
    results = apollo_compose_many([fixture_subgraphs(c) for c in CASES])
    return {case.name: result for case, result in zip(CASES, results, strict=True)}


def test_single_composition_matches_batch(apollo_results: dict[str, ApolloResult]) -> None:
    for name in ("fedtasks", "error-INVALID_FIELD_SHARING"):
        case = next(c for c in CASES if c.name == name)
        assert apollo_compose(fixture_subgraphs(case)) == apollo_results[name]


def test_apollo_reports_syntax_errors_as_invalid_graphql() -> None:
    require_apollo()
    result = apollo_compose([("a", "http://a:4000/graphql", "type Query { hello: String")])
    assert result.supergraph is None
    assert result.error_codes == {"INVALID_GRAPHQL"}
    assert result.errors[0][1].startswith("[a] Syntax Error")


@pytest.mark.parametrize("case", [_case_param(c) for c in CASES])
def test_apollo_reproduces_fixture(case: Path, apollo_results: dict[str, ApolloResult]) -> None:
    result = apollo_results[case.name]
    if (case / SUPERGRAPH_FILE).is_file():
        assert result.errors == []
        assert result.supergraph is not None
        assert result.supergraph.encode("utf-8") == (case / SUPERGRAPH_FILE).read_bytes()
    else:
        assert result.supergraph is None
        assert result.error_codes == _expected_codes(case)


# --- sdl_compare ------------------------------------------------------------------------------

SDL = '''
"""A user."""
type User implements Node & Named @key(fields: "id") @tag(name: "public") {
  id: ID!
  name(format: String, locale: String = "en"): String @join__field(graph: A, type: "String")
}

enum Role { ADMIN MEMBER }

union Result = User | Team

schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query mutation: Mutation }
'''

REORDERED = """
schema @link(url: "https://specs.apollo.dev/link/v1.0") { mutation: Mutation query: Query }

union Result = Team | User

enum Role { MEMBER ADMIN }

"A user."
type User implements Named & Node @tag(name: "public") @key(fields: "id") {
  name(locale: String = "en", format: String): String @join__field(type: "String", graph: A)
  id: ID!
}
"""


def test_reordering_is_equal() -> None:
    assert canonical_sdl(SDL) == canonical_sdl(REORDERED)
    assert_same_sdl(REORDERED, SDL)


def test_directive_definition_locations_and_arguments_are_unordered() -> None:
    assert_same_sdl(
        "directive @d(b: Int, a: Int) repeatable on OBJECT | FIELD_DEFINITION",
        "directive @d(a: Int, b: Int) repeatable on FIELD_DEFINITION | OBJECT",
    )


def test_repeated_directives_sorted_by_printed_text() -> None:
    assert_same_sdl(
        'type T @join__type(graph: B, key: "id") @join__type(graph: A) { id: ID }',
        'type T @join__type(graph: A) @join__type(key: "id", graph: B) { id: ID }',
    )


def test_changed_directive_argument_differs() -> None:
    changed = SDL.replace('graph: A, type: "String"', 'graph: B, type: "String"')
    with pytest.raises(AssertionError, match=r"(?s)^SDLs differ:.*-.*graph: A.*\+.*graph: B"):
        assert_same_sdl(changed, SDL)


def test_changed_description_differs() -> None:
    with pytest.raises(AssertionError, match="A person"):
        assert_same_sdl(SDL.replace("A user.", "A person."), SDL)


def test_list_order_inside_values_matters() -> None:
    with pytest.raises(AssertionError):
        assert_same_sdl("type T @x(a: [1, 2]) { f: Int }", "type T @x(a: [2, 1]) { f: Int }")


def test_missing_field_differs() -> None:
    with pytest.raises(AssertionError, match=r"\+  extra: Int"):
        assert_same_sdl("type T { f: Int extra: Int }", "type T { f: Int }")


def test_canonical_form_keeps_descriptions() -> None:
    canonical = canonical_sdl('"""Doc."""\nscalar S\n')
    assert canonical == '"""Doc."""\nscalar S\n'
