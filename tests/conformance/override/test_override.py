"""@override: the overriding subgraph answers; a progressive label decides per request."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_an_overridden_field_is_resolved_by_the_new_subgraph(fed: Federation) -> None:
    body = await fed.run("{ products { name inStock } }")

    assert body == {
        "data": {"products": [{"name": "P1", "inStock": True}, {"name": "P2", "inStock": True}]}
    }
    assert [r.subgraph for r in fed.requests] == ["old", "new"]


async def test_under_the_new_subgraphs_root_the_overridden_field_needs_no_jump(
    fed: Federation,
) -> None:
    body = await fed.run("{ featured { upc inStock } }")

    assert body == {"data": {"featured": {"upc": "p9", "inStock": True}}}
    assert [r.subgraph for r in fed.requests] == ["new"]


async def test_a_field_behind_a_label_that_is_off_stays_with_the_old_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { rating } }")

    assert body == {"data": {"products": [{"rating": 1}, {"rating": 1}]}}
    assert [r.subgraph for r in fed.requests] == ["old"]


async def test_a_field_behind_a_label_that_is_off_jumps_back_to_the_old_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ featured { inStock rating name } }")

    assert body == {"data": {"featured": {"inStock": True, "rating": 1, "name": "P9"}}}
    assert [r.subgraph for r in fed.requests] == ["new", "old"]


async def test_a_field_behind_a_label_that_is_on_moves_to_the_new_subgraph(
    beta: Federation,
) -> None:
    body = await beta.run("{ products { rating } }")

    assert body == {"data": {"products": [{"rating": 5}, {"rating": 5}]}}
    assert [r.subgraph for r in beta.requests] == ["old", "new"]


async def test_with_the_label_on_the_new_root_answers_everything_it_took_over(
    beta: Federation,
) -> None:
    body = await beta.run("{ featured { inStock rating } }")

    assert body == {"data": {"featured": {"inStock": True, "rating": 5}}}
    assert [r.subgraph for r in beta.requests] == ["new"]
