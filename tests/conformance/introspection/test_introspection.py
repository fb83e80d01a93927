"""Introspection is answered by the router from the API schema, never by a subgraph."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_schema_root_types(fed: Federation) -> None:
    body = await fed.run("{ __schema { queryType { name } mutationType { name } } }")

    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}, "mutationType": None}}}
    assert fed.requests == []


async def test_type_fields_are_the_merged_fields_in_composition_order(fed: Federation) -> None:
    body = await fed.run('{ __type(name: "User") { fields { name } } }')

    # Apollo merges subgraphs in name order: reviews (id, reviews), then users (name).
    assert body == {
        "data": {"__type": {"fields": [{"name": "id"}, {"name": "reviews"}, {"name": "name"}]}}
    }
    assert fed.requests == []


async def test_the_query_type_has_no_federation_fields(fed: Federation) -> None:
    body = await fed.run('{ __type(name: "Query") { fields { name } } }')

    assert body == {"data": {"__type": {"fields": [{"name": "topReviews"}, {"name": "me"}]}}}


async def test_federation_and_join_types_are_not_in_the_api_schema(fed: Federation) -> None:
    body = await fed.run(
        '{ a: __type(name: "_Service") { name } b: __type(name: "_Entity") { name } '
        'c: __type(name: "join__Graph") { name } d: __type(name: "_Any") { name } '
        'e: __type(name: "link__Purpose") { name } }'
    )

    assert body == {"data": {"a": None, "b": None, "c": None, "d": None, "e": None}}


async def test_schema_types_and_directives_are_the_api_schemas(fed: Federation) -> None:
    body = await fed.run("{ __schema { types { name } directives { name } } }")

    types = {t["name"] for t in body["data"]["__schema"]["types"]}
    directives = {d["name"] for d in body["data"]["__schema"]["directives"]}
    assert {n for n in types if not n.startswith("__")} == {
        "Query",
        "Review",
        "User",
        "String",
        "ID",
        "Boolean",
    }
    assert {"include", "skip", "deprecated"} <= directives
    assert not {d for d in directives if d.startswith(("join__", "link", "key", "external"))}


async def test_introspection_next_to_fields_fetched_from_subgraphs(fed: Federation) -> None:
    body = await fed.run('{ __typename me { name } t: __type(name: "Review") { name kind } }')

    assert body == {
        "data": {
            "__typename": "Query",
            "me": {"name": "Ada"},
            "t": {"name": "Review", "kind": "OBJECT"},
        }
    }
    assert [r.query for r in fed.requests] == ["query{me{name}}"]


async def test_introspection_with_a_variable(fed: Federation) -> None:
    body = await fed.run("query($n: String!) { __type(name: $n) { name } }", {"n": "Review"})

    assert body == {"data": {"__type": {"name": "Review"}}}


async def test_introspection_with_a_fragment(fed: Federation) -> None:
    body = await fed.run('{ __type(name: "User") { ...T } } fragment T on __Type { name kind }')

    assert body == {"data": {"__type": {"name": "User", "kind": "OBJECT"}}}


def test_the_plan_of_introspection_only_has_no_fetch(fed: Federation) -> None:
    plan = fed.plan('{ __schema { queryType { name } } __type(name: "User") { name } }')

    assert plan == {"kind": "QueryPlan", "node": None}


INTROSPECTION_IN_FRAGMENTS = (
    "ROUTER BUG: pipeline._introspection only answers __schema/__type written directly in "
    "the operation's selection set, not inside root fragments (spread or inline); "
    "shape.py then writes null for them"
)


async def test_introspection_inside_a_root_fragment_spread(fed: Federation) -> None:
    body = await fed.run("{ ...F } fragment F on Query { __schema { queryType { name } } }")

    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_introspection_inside_a_root_inline_fragment(fed: Federation) -> None:
    body = await fed.run('{ ... on Query { __type(name: "User") { name } } me { name } }')

    assert body == {"data": {"__type": {"name": "User"}, "me": {"name": "Ada"}}}


async def test_skipped_introspection_is_left_out(fed: Federation) -> None:
    body = await fed.run(
        'query($s: Boolean!) { __type(name: "User") @include(if: $s) { name } me { name } }',
        {"s": False},
    )

    assert body == {"data": {"me": {"name": "Ada"}}}
