"""Named and inline fragments, across subgraphs, and fragments that never match."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_named_fragments_spanning_two_subgraphs(fed: Federation) -> None:
    body = await fed.run(
        """
        { me { ...UserParts } }
        fragment UserParts on User { id name posts { ...PostParts } }
        fragment PostParts on Post { title }
        """
    )

    assert body == {
        "data": {
            "me": {"id": "u1", "name": "Ada", "posts": [{"title": "Hello"}, {"title": "Again"}]}
        }
    }


async def test_inline_fragments_without_a_type_condition(fed: Federation) -> None:
    body = await fed.run("{ me { ... { name } ... @include(if: true) { id } } }")

    assert body == {"data": {"me": {"name": "Ada", "id": "u1"}}}


async def test_a_fragment_spread_on_the_root_type(fed: Federation) -> None:
    body = await fed.run("{ ...Root } fragment Root on Query { me { name } }")

    assert body == {"data": {"me": {"name": "Ada"}}}


async def test_an_interface_fragment_on_an_object(fed: Federation) -> None:
    body = await fed.run("{ me { ... on Node { id } } }")

    assert body == {"data": {"me": {"id": "u1"}}}


async def test_fields_from_two_fragments_merge_into_one_selection(fed: Federation) -> None:
    body = await fed.run(
        """
        { me { ...A ...B } }
        fragment A on User { name posts { title } }
        fragment B on User { name posts { id } }
        """
    )

    assert body == {
        "data": {
            "me": {
                "name": "Ada",
                "posts": [{"title": "Hello", "id": "t1"}, {"title": "Again", "id": "t2"}],
            }
        }
    }
    [entities] = fed.sent_to("posts")
    assert entities.query.count("posts") == 1


async def test_aliases_inside_a_fragment_are_kept(fed: Federation) -> None:
    body = await fed.run("{ me { ...F } } fragment F on User { handle: name }")

    assert body == {"data": {"me": {"handle": "Ada"}}}


async def test_a_fragment_that_cannot_match_yields_an_empty_object_not_null(
    fed: Federation,
) -> None:
    body = await fed.run('{ node(id: "u1") { ... on Post { title __typename } } }')

    assert body == {"data": {"node": {}}}
    assert [r.query for r in fed.requests] == ['query{node(id:"u1"){__typename}}']


async def test_a_fragment_that_cannot_match_next_to_one_that_does(fed: Federation) -> None:
    body = await fed.run('{ node(id: "u1") { id ... on Post { title } ... on User { name } } }')

    assert body == {"data": {"node": {"id": "u1", "name": "Ada"}}}


async def test_a_type_fragment_jumps_to_another_subgraph_for_its_fields(
    fed: Federation,
) -> None:
    body = await fed.run(
        '{ a: node(id: "u1") { ... on User { posts { id } } } '
        'b: node(id: "u2") { ... on User { posts { id } } } }'
    )

    assert body == {"data": {"a": {"posts": [{"id": "t1"}, {"id": "t2"}]}, "b": {"posts": []}}}


async def test_fragments_on_each_type_of_an_interface_from_the_other_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ latest { id ... on Post { title } ... on User { name } } }")

    assert body == {"data": {"latest": {"id": "t2", "title": "Again"}}}
