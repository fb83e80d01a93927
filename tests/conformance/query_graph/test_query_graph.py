"""Answers that depend on the query graph's edges and on the planner's cost model."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_an_interface_field_external_on_one_implementation_is_exploded(
    fed: Federation,
) -> None:
    # catalog declares Media.title, but its Song.title is @external: asking catalog for
    # the interface field would return catalog's placeholder for the song.
    body = await fed.run("{ media { id title } }")

    assert body == {
        "data": {"media": [{"id": "f1", "title": "Alien"}, {"id": "s1", "title": "Heroes"}]}
    }
    [entities] = fed.sent_to("music")
    assert entities.representations == [{"__typename": "Song", "id": "s1"}]


async def test_a_field_reachable_only_through_a_chain_of_keys_is_fetched(
    fed: Federation,
) -> None:
    body = await fed.run("{ media { ... on Film { studio { founded } } } }")

    assert body == {"data": {"media": [{"studio": {"founded": 1935}}, {}]}}
    # catalog knows the studio's code, studios turns it into the id registry needs.
    assert [r.subgraph for r in fed.requests] == ["catalog", "studios", "registry"]
    [lookup] = fed.sent_to("registry")
    assert lookup.representations == [{"__typename": "Studio", "id": "st1"}]


async def test_a_shareable_field_comes_from_the_subgraph_one_jump_away(
    fed: Federation,
) -> None:
    body = await fed.run("{ media { ... on Film { studio { country } } } }")

    assert body == {"data": {"media": [{"studio": {"country": "US"}}, {}]}}
    # registry also resolves country, but reaching it costs a second fetch.
    assert [r.subgraph for r in fed.requests] == ["catalog", "studios"]
