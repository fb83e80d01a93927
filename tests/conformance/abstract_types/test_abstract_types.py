"""Interfaces and unions whose members and fields differ between subgraphs."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_fields_of_each_implementation_come_from_another_subgraph_in_one_fetch(
    fed: Federation,
) -> None:
    body = await fed.run(
        "{ items { id name ... on Book { pages stock } ... on Pen { color stock } } }"
    )

    assert body == {
        "data": {
            "items": [
                {"id": "b1", "name": "Dune", "pages": 412, "stock": 3},
                {"id": "n1", "name": "Bic", "color": "blue", "stock": 0},
            ]
        }
    }
    [entities] = fed.sent_to("stock")
    assert entities.representations == [
        {"__typename": "Book", "id": "b1"},
        {"__typename": "Pen", "id": "n1"},
    ]


async def test_an_interface_field_the_root_subgraph_lacks_is_exploded_per_type(
    fed: Federation,
) -> None:
    body = await fed.run("{ items { id price } }")

    assert body == {"data": {"items": [{"id": "b1", "price": 10}, {"id": "n1", "price": 2}]}}
    assert [r.subgraph for r in fed.requests] == ["shop", "pricing"]


async def test_an_interface_field_is_exploded_from_the_other_side_too(fed: Federation) -> None:
    body = await fed.run("{ cheapest { id name price } }")

    assert body == {"data": {"cheapest": {"id": "n1", "name": "Bic", "price": 2}}}


async def test_type_specific_fields_of_an_interface_from_another_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ cheapest { __typename ... on Book { pages } ... on Pen { color } } }")

    assert body == {"data": {"cheapest": {"__typename": "Pen", "color": "blue"}}}


async def test_union_members_are_told_apart_by_typename(fed: Federation) -> None:
    body = await fed.run("{ search { __typename ... on Book { name } ... on Pen { color } } }")

    assert body == {
        "data": {
            "search": [
                {"__typename": "Pen", "color": "blue"},
                {"__typename": "Book", "name": "Dune"},
            ]
        }
    }


async def test_a_union_with_a_member_only_one_subgraph_has_fans_out_per_member(
    fed: Federation,
) -> None:
    body = await fed.run(
        "{ headlines { __typename ... on Book { name stock } ... on Magazine { title } } }"
    )

    assert body == {
        "data": {
            "headlines": [
                {"__typename": "Book", "name": "Dune", "stock": 3},
                {"__typename": "Magazine", "title": "Wired"},
            ]
        }
    }
    assert sorted(r.subgraph for r in fed.requests) == ["news", "shop", "stock"]


async def test_a_member_the_root_subgraph_cannot_return_matches_nothing(
    fed: Federation,
) -> None:
    body = await fed.run("{ search { ... on Magazine { title } } }")

    assert body == {"data": {"search": [{}, {}]}}


async def test_an_interface_fragment_inside_a_union_from_a_subgraph_without_the_interface(
    fed: Federation,
) -> None:
    body = await fed.run("{ headlines { ... on Item { name price } } }")

    assert body == {"data": {"headlines": [{"name": "Dune", "price": 10}, {}]}}


async def test_an_interface_fragment_inside_a_union_of_the_same_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ search { ... on Item { id name } } }")

    assert body == {"data": {"search": [{"id": "n1", "name": "Bic"}, {"id": "b1", "name": "Dune"}]}}
    assert [r.subgraph for r in fed.requests] == ["shop"]
