"""Root fields from several subgraphs, fetched in parallel; root ``__typename`` by the router."""

from __future__ import annotations

from tests.conformance.harness import Federation
from tests.conformance.root_fields.subgraphs import Rendezvous


async def test_root_fields_of_two_subgraphs_merge_in_query_order(fed: Federation) -> None:
    body = await fed.run("{ topProducts { upc title } me { id name } }")

    assert body == {
        "data": {
            "topProducts": [
                {"upc": "p1", "title": "Product 1"},
                {"upc": "p2", "title": "Product 2"},
            ],
            "me": {"id": "1", "name": "Ada"},
        }
    }
    assert sorted(r.subgraph for r in fed.requests) == ["products", "users"]


async def test_root_fetches_of_two_subgraphs_run_concurrently(fed: Federation) -> None:
    Rendezvous.reset()

    body = await fed.run("{ usersMeet productsMeet }")

    assert body == {"data": {"usersMeet": True, "productsMeet": True}}


async def test_root_fields_of_one_subgraph_share_one_fetch(fed: Federation) -> None:
    body = await fed.run(
        '{ me { name } other: user(id: "2") { name } nobody: user(id: "9") { id } }'
    )

    assert body == {"data": {"me": {"name": "Ada"}, "other": {"name": "Bob"}, "nobody": None}}
    assert [r.subgraph for r in fed.requests] == ["users"]


async def test_root_typename_alone_is_answered_without_any_fetch(fed: Federation) -> None:
    body = await fed.run("{ __typename }")

    assert body == {"data": {"__typename": "Query"}}
    assert fed.requests == []


async def test_root_typename_is_never_asked_of_a_subgraph(fed: Federation) -> None:
    body = await fed.run("{ a: __typename topProducts(first: 1) { title } __typename }")

    assert body == {
        "data": {"a": "Query", "topProducts": [{"title": "Product 1"}], "__typename": "Query"}
    }
    assert [r.query for r in fed.requests] == ["query{topProducts(first:1){title}}"]


async def test_root_field_arguments_and_their_defaults_reach_the_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ three: topProducts(first: 3) { upc } two: topProducts { upc } }")

    assert body == {
        "data": {
            "three": [{"upc": "p1"}, {"upc": "p2"}, {"upc": "p3"}],
            "two": [{"upc": "p1"}, {"upc": "p2"}],
        }
    }


async def test_the_named_operation_of_several_is_the_one_run(fed: Federation) -> None:
    body = await fed.run(
        "query A { me { name } } query B { topProducts(first: 1) { upc } }", operation_name="B"
    )

    assert body == {"data": {"topProducts": [{"upc": "p1"}]}}
    assert [r.subgraph for r in fed.requests] == ["products"]


async def test_root_fields_and_typename_inside_root_fragments(fed: Federation) -> None:
    body = await fed.run(
        "{ ... on Query { __typename } ...F } fragment F on Query { t: __typename me { name } }"
    )

    assert body == {"data": {"__typename": "Query", "t": "Query", "me": {"name": "Ada"}}}
    assert [r.query for r in fed.requests] == ["query{me{name}}"]
