"""Reading supergraphs: join v0.1 to v0.5, refusals, and the API schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, print_schema

from router.planner.build import build_plan
from router.supergraph.errors import SupergraphError
from router.supergraph.reader import read_supergraph
from tests.support.apollo import fixture_cases

REPO = Path(__file__).resolve().parents[3]
SUPERGRAPHS = [c for c in fixture_cases() if (c / "supergraph.graphql").exists()]
REFUSED = {"authorization-directives", "context-from-context"}

# A Federation 1 supergraph (core + join v0.1), as Apollo's Federation 1 composition printed it.
FED1 = """
schema
  @core(feature: "https://specs.apollo.dev/core/v0.2")
  @core(feature: "https://specs.apollo.dev/join/v0.1", for: EXECUTION)
{
  query: Query
}

directive @core(as: String, feature: String!, for: core__Purpose) repeatable on SCHEMA
directive @join__field(
  graph: join__Graph, provides: join__FieldSet, requires: join__FieldSet
) on FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__owner(graph: join__Graph!) on INTERFACE | OBJECT
directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on INTERFACE | OBJECT

enum core__Purpose { EXECUTION SECURITY }
scalar join__FieldSet

enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts" url: "http://accounts:4001/graphql")
  REVIEWS @join__graph(name: "reviews" url: "http://reviews:4002/graphql")
}

type Query {
  me: User @join__field(graph: ACCOUNTS)
  topReviews: [Review] @join__field(graph: REVIEWS)
}

type Review @join__owner(graph: REVIEWS) @join__type(graph: REVIEWS, key: "id") {
  id: ID! @join__field(graph: REVIEWS)
  body: String @join__field(graph: REVIEWS)
  author: User @join__field(graph: REVIEWS, provides: "username")
}

type User
  @join__owner(graph: ACCOUNTS)
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: REVIEWS, key: "id")
{
  id: ID! @join__field(graph: ACCOUNTS)
  name: String @join__field(graph: ACCOUNTS)
  username: String @join__field(graph: ACCOUNTS)
  reviews: [Review] @join__field(graph: REVIEWS)
}
"""


@pytest.mark.parametrize("case", SUPERGRAPHS, ids=[c.name for c in SUPERGRAPHS])
def test_every_corpus_supergraph_loads_or_is_refused_by_name(case: Path) -> None:
    sdl = (case / "supergraph.graphql").read_text()
    if case.name in REFUSED:
        with pytest.raises(
            SupergraphError, match=r"links https://specs\.apollo\.dev/\w+/v0\.1 for"
        ):
            read_supergraph(sdl)
        return
    supergraph = read_supergraph(sdl)
    assert supergraph.urls
    assert "join__Graph" not in print_schema(supergraph.api_schema)


def test_the_projects_supergraph_model() -> None:
    supergraph = read_supergraph((REPO / "schema/supergraph.graphql").read_text())
    assert supergraph.urls == {
        "tasks": "http://127.0.0.1:4002/graphql",
        "users": "http://127.0.0.1:4001/graphql",
    }
    user = supergraph.types["User"]
    assert {g: [k.fields for k in t.keys] for g, t in user.graphs.items()} == {
        "tasks": ["id"],
        "users": ["id"],
    }
    assert [d.graph for d in user.fields["id"].declarations] == ["tasks", "users"]
    assert [d.graph for d in user.fields["taskCount"].declarations] == ["tasks"]
    assert supergraph.roots == {"query": "Query", "mutation": "Mutation"}


def test_a_federation_1_supergraph_is_read_and_planned() -> None:
    supergraph = read_supergraph(FED1)
    assert supergraph.urls == {
        "accounts": "http://accounts:4001/graphql",
        "reviews": "http://reviews:4002/graphql",
    }
    assert [d.provides for d in supergraph.types["Review"].fields["author"].declarations] == [
        "username"
    ]
    plan = build_plan(supergraph, parse("{ topReviews { body author { username name } } }"))
    printed = str(plan.to_json())
    assert "query{topReviews{body author{username __typename id}}}" in printed
    assert "_entities(representations:$representations){...on User{name}}" in printed


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("type Query { a: Int", "does not parse"),
        ("type Query { a: Int }", "does not link the join spec"),
        (
            FED1.replace("join/v0.1", "join/v0.9"),
            "links https://specs.apollo.dev/join/v0.9 for EXECUTION",
        ),
        (
            FED1.replace(
                '"https://specs.apollo.dev/core/v0.2")',
                '"https://specs.apollo.dev/core/v0.2")\n'
                '  @core(feature: "https://example.com/magic/v1.0", for: SECURITY)',
            ),
            "https://example.com/magic/v1.0 for SECURITY",
        ),
    ],
)
def test_unusable_supergraphs_are_refused_with_a_clear_message(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError, match=message.replace("(", r"\(").replace(".", r"\.")):
        read_supergraph(sdl)
