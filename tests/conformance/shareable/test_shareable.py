"""@shareable fields and value types: the subgraph already fetched answers, no extra fetch."""

from __future__ import annotations

from tests.conformance.harness import Federation, compose_supergraph, fetches
from tests.conformance.shareable.subgraphs import (
    catalog,
    deals,
    deals_with_full_money,
)


async def test_a_shareable_value_type_is_resolved_where_the_parent_is(fed: Federation) -> None:
    body = await fed.run("{ reviews { product { name price { amount currency } } } }")

    assert body == {
        "data": {
            "reviews": [
                {"product": {"name": "Table", "price": {"amount": 100, "currency": "EUR"}}},
                {"product": {"name": "Lamp", "price": {"amount": 20, "currency": "EUR"}}},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["reviews"]


def test_the_plan_of_shareable_fields_has_one_fetch(fed: Federation) -> None:
    plan = fed.plan("{ products { name price { amount } } }")

    assert [f["serviceName"] for f in fetches(plan)] == ["catalog"]


async def test_two_roots_each_resolve_the_shared_fields_themselves(fed: Federation) -> None:
    body = await fed.run(
        "{ reviews { body product { upc name } } products { name price { currency } } }"
    )

    assert body == {
        "data": {
            "reviews": [
                {"body": "Sturdy", "product": {"upc": "p1", "name": "Table"}},
                {"body": "Dim", "product": {"upc": "p2", "name": "Lamp"}},
            ],
            "products": [
                {"name": "Table", "price": {"currency": "EUR"}},
                {"name": "Lamp", "price": {"currency": "EUR"}},
            ],
        }
    }
    assert sorted(r.subgraph for r in fed.requests) == ["catalog", "reviews"]


def _partial_money_supergraph() -> str:
    sdl = compose_supergraph({"catalog": catalog, "deals": deals_with_full_money})
    money = sdl.index("type Money")
    end = sdl.index("}", money)
    body = sdl[money:end].replace(
        "currency: String!", "currency: String! @join__field(graph: CATALOG)"
    )
    return sdl[:money] + body + sdl[end:]


def test_a_value_type_partial_in_one_subgraph_composes() -> None:
    compose_supergraph({"catalog": catalog, "deals": deals})


async def test_a_field_missing_from_a_partial_value_type_is_fetched_through_the_parent_key() -> (
    None
):
    fed = Federation(
        {"catalog": catalog, "deals": deals}, supergraph_sdl=_partial_money_supergraph()
    )

    body = await fed.run("{ deals { upc price { amount currency } } }")

    assert body == {"data": {"deals": [{"upc": "p2", "price": {"amount": 20, "currency": "EUR"}}]}}
