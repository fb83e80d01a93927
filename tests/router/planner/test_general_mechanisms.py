"""Plans of the mechanisms the planner differential run found missing, on its supergraphs.

Each supergraph is one of ``tests/planner_differential/supergraphs`` (composed by Apollo) or
of the composition fixtures; the differential test checks the answers against Apollo's
gateway, these tests pin what the plans do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import parse

from router.planner.build import build_plan
from router.supergraph.reader import read_supergraph
from tests.conformance.harness import fetches

OWN = Path("tests/planner_differential/supergraphs")
FIXTURES = Path("tests/router/composition/fixtures")


def _fetches(path: Path, query: str) -> list[dict[str, Any]]:
    supergraph = read_supergraph(path.read_text(encoding="utf-8"))
    return fetches(build_plan(supergraph, parse(query)).to_json())


def _operations(path: Path, query: str) -> list[tuple[str, str]]:
    return [(f["serviceName"], f["operation"]) for f in _fetches(path, query)]


def test_an_interface_condition_inside_a_union_narrows_to_its_members() -> None:
    # `Thing = Book | Pen` and `... on Node { id }`: `id` is Node's, not the union's.
    operations = _operations(
        OWN / "nested-type-conditions.graphql", "{ things { ... on Node { id } } }"
    )

    assert operations == [("catalog", "query{things{__typename ...on Book{id} ...on Pen{id}}}")]


def test_nested_conditions_keep_narrowing_the_type() -> None:
    query = "{ things { ... on WithX { x ... on Node { id ... on Pen { color } } } } }"

    operations = _operations(OWN / "nested-type-conditions.graphql", query)

    # Pen is no WithX: its condition can never match there (the object keeps __typename).
    assert operations == [("catalog", "query{things{__typename ...on Book{x id __typename}}}")]


def test_a_shareable_root_field_comes_back_in_through_another_subgraph_root() -> None:
    # `Stats` has no key: `average` (only in b) is fetched from b's own `stats`.
    query = "{ stats { total { amount } average { amount } } }"

    operations = _operations(OWN / "shareable-value-roots.graphql", query)

    assert operations == [
        ("a", "query{stats{total{amount}}}"),
        ("b", "query{stats{average{amount}}}"),
    ]


def test_an_interface_field_asked_of_an_interface_object_goes_to_the_interface_s_owner() -> None:
    path = FIXTURES / "entity-interface-interface-object" / "supergraph.graphql"

    operations = _operations(path, "{ topRated { title } }")

    assert operations == [
        ("reviews", "query{topRated{__typename id}}"),
        (
            "media",
            "query($representations:[_Any!]!){_entities(representations:$representations)"
            "{...on Media{__typename title}}}",
        ),
    ]


def test_fields_under_a_type_condition_go_to_an_interface_object_only_for_that_type() -> None:
    # `reviews` is asked of each implementation, `score` (@requires title) of Book only:
    # the subgraph that knows only `Media` is sent each type's objects in its own fetch.
    found = _fetches(
        OWN / "interface-object-requires.graphql", "{ media { reviews ... on Book { score } } }"
    )
    to_reviews = [f for f in found if f["serviceName"] == "reviews"]

    assert [
        (f["operation"].split("{", 2)[2], [r["typeCondition"] for r in f["requires"]])
        for f in to_reviews
    ] == [("...on Media{reviews score}}}", ["Book"]), ("...on Media{reviews}}}", ["Movie"])]
    assert to_reviews[0]["inputRewrites"] == [
        {"kind": "ValueSetter", "path": ["... on Book", "__typename"], "setValueTo": "Media"}
    ]


def test_a_key_named_like_a_client_field_of_another_type_is_fetched_under_an_alias() -> None:
    # `Other.id: ID` is selected by the client; `Thing`'s key `id: ID!` under the same
    # response name would not validate in subgraph a.
    query = "{ items { ... on Other { id } ... on Thing { weight } } }"

    operations = _operations(OWN / "child-type-mismatch.graphql", query)

    assert operations[0] == (
        "a",
        "query{items{__typename ...on Other{id} ...on Thing{__typename fedtasks__id:id}}}",
    )


def test_an_object_whose_concrete_type_was_learnt_is_still_sent_to_the_interface_object() -> None:
    # topMedia (reviews) -> its concrete type and `title` (media) -> `score` @requires title
    # (reviews): by then the objects say Book or Movie, sent as Media.
    found = _fetches(OWN / "interface-object-requires.graphql", "{ topMedia { score } }")
    score = next(f for f in found if "score" in f["operation"])

    assert [r["typeCondition"] for r in score["requires"]] == ["Media", "Book", "Movie"]
    assert [(r["path"][0], r["setValueTo"]) for r in score["inputRewrites"]] == [
        ("... on Book", "Media"),
        ("... on Movie", "Media"),
    ]
