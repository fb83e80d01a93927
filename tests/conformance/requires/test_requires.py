"""@requires: required fields are fetched first (from wherever they live) and sent along."""

from __future__ import annotations

from tests.conformance.harness import Federation
from tests.conformance.requires.subgraphs import SEEN


async def test_required_fields_from_two_subgraphs_are_sent_in_the_representation(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { name shippingEstimate } }")

    assert body == {
        "data": {
            "products": [
                {"name": "Table", "shippingEstimate": 0},
                {"name": "Lamp", "shippingEstimate": 50},
            ]
        }
    }
    assert SEEN == [
        {"upc": "p1", "weight": 2, "price": 100},
        {"upc": "p2", "weight": 5, "price": 20},
    ]


async def test_a_required_field_that_needs_its_own_entity_fetch_is_fetched_first(
    fed: Federation,
) -> None:
    await fed.run("{ products { shippingEstimate } }")

    assert [r.subgraph for r in fed.requests] == ["catalog", "pricing", "inventory"]
    assert fed.sent_to("inventory")[0].representations == [
        {"__typename": "Product", "upc": "p1", "weight": 2, "price": 100},
        {"__typename": "Product", "upc": "p2", "weight": 5, "price": 20},
    ]


async def test_required_fields_also_asked_by_the_client_are_fetched_once(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { weight price shippingEstimate } }")

    assert body == {
        "data": {
            "products": [
                {"weight": 2, "price": 100, "shippingEstimate": 0},
                {"weight": 5, "price": 20, "shippingEstimate": 50},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["catalog", "pricing", "inventory"]


async def test_a_nested_required_selection_is_sent_as_an_object(fed: Federation) -> None:
    body = await fed.run("{ products { packaging } }")

    assert body == {"data": {"products": [{"packaging": "crate"}, {"packaging": "box"}]}}
    assert SEEN == [{"upc": "p1", "size": {"width": 120}}, {"upc": "p2", "size": {"width": 20}}]


async def test_an_entity_whose_required_value_failed_is_not_sent(fed: Federation) -> None:
    body = await fed.run("{ allProducts { upc shippingEstimate } }")

    assert body == {
        "data": {
            "allProducts": [
                {"upc": "p1", "shippingEstimate": 0},
                {"upc": "p2", "shippingEstimate": 50},
                {"upc": "p3", "shippingEstimate": None},
            ]
        },
        "errors": [
            {
                "message": "no price for p3",
                "path": ["allProducts", 2],
                "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "pricing"},
            }
        ],
    }
    assert [rep["upc"] for rep in fed.sent_to("inventory")[0].representations] == ["p1", "p2"]


async def test_requires_from_a_root_of_another_subgraph(fed: Federation) -> None:
    body = await fed.run("{ cheapest { shippingEstimate } }")

    assert body == {"data": {"cheapest": {"shippingEstimate": 50}}}
    assert SEEN == [{"upc": "p2", "weight": 5, "price": 20}]


async def test_a_requires_field_under_its_own_subgraphs_root_still_gets_its_requirements(
    fed: Federation,
) -> None:
    body = await fed.run("{ stocked { upc shippingEstimate packaging } }")

    assert body == {
        "data": {
            "stocked": [
                {"upc": "p2", "shippingEstimate": 50, "packaging": "box"},
                {"upc": "p1", "shippingEstimate": 0, "packaging": "crate"},
            ]
        }
    }


async def test_a_client_alias_named_like_a_required_field_of_the_same_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { weight: name shippingEstimate } }")

    assert body == {
        "data": {
            "products": [
                {"weight": "Table", "shippingEstimate": 0},
                {"weight": "Lamp", "shippingEstimate": 50},
            ]
        }
    }


async def test_a_client_alias_named_like_a_required_field_of_another_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { price: name shippingEstimate } }")

    assert body == {
        "data": {
            "products": [
                {"price": "Table", "shippingEstimate": 0},
                {"price": "Lamp", "shippingEstimate": 50},
            ]
        }
    }


async def test_an_aliased_required_field_is_fetched_under_both_names(fed: Federation) -> None:
    body = await fed.run("{ products { w: weight shippingEstimate } }")

    assert body == {
        "data": {"products": [{"w": 2, "shippingEstimate": 0}, {"w": 5, "shippingEstimate": 50}]}
    }
