"""Variables: values, defaults, explicit nulls, input objects; each fetch gets its own."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_a_variable_reaches_the_root_fetch(fed: Federation) -> None:
    body = await fed.run("query($n: Int) { products(first: $n) { upc } }", {"n": 1})

    assert body == {"data": {"products": [{"upc": "p1"}]}}
    assert fed.requests[0].variables == {"n": 1}


async def test_the_variable_default_applies_when_the_variable_is_omitted(
    fed: Federation,
) -> None:
    body = await fed.run("query($n: Int = 3) { products(first: $n) { upc } }")

    assert body == {"data": {"products": [{"upc": "p1"}, {"upc": "p2"}, {"upc": "p3"}]}}


async def test_an_omitted_variable_leaves_the_argument_default_in_force(
    fed: Federation,
) -> None:
    body = await fed.run("query($n: Int) { products(first: $n) { upc } }")

    assert body == {"data": {"products": [{"upc": "p1"}, {"upc": "p2"}]}}


async def test_an_explicit_null_variable_is_not_the_same_as_an_omitted_one(
    fed: Federation,
) -> None:
    body = await fed.run("query($n: Int) { products(first: $n) { upc } }", {"n": None})

    assert body == {"data": {"products": [{"upc": "p1"}, {"upc": "p2"}, {"upc": "p3"}]}}


async def test_a_variable_default_applies_inside_an_entity_fetch(fed: Federation) -> None:
    body = await fed.run("query($s: Int = 5) { products { upc reviews(stars: $s) { body } } }")

    assert body == {
        "data": {
            "products": [
                {"upc": "p1", "reviews": [{"body": "Solid"}]},
                {"upc": "p2", "reviews": []},
            ]
        }
    }


async def test_an_input_object_variable(fed: Federation) -> None:
    body = await fed.run(
        "query($f: ProductFilter!) { products(first: null, filter: $f) { upc } }",
        {"f": {"minPrice": 50}},
    )

    assert body == {"data": {"products": [{"upc": "p1"}, {"upc": "p3"}]}}


async def test_a_list_variable_inside_an_input_object_literal(fed: Federation) -> None:
    body = await fed.run(
        "query($names: [String!]) { products(first: 9, filter: {names: $names}) { upc } }",
        {"names": ["Lamp", "Chair"]},
    )

    assert body == {"data": {"products": [{"upc": "p2"}, {"upc": "p3"}]}}


async def test_each_fetch_gets_only_the_variables_it_uses(fed: Federation) -> None:
    body = await fed.run(
        "query($n: Int, $s: Int) { products(first: $n) { reviews(stars: $s) { body stars } } }",
        {"n": 1, "s": 2},
    )

    assert body == {
        "data": {
            "products": [
                {"reviews": [{"body": "Solid", "stars": 5}, {"body": "Heavy", "stars": 2}]}
            ]
        }
    }
    catalog, reviews = fed.requests
    assert catalog.variables == {"n": 1}
    assert set(reviews.variables) == {"s", "representations"}
    assert reviews.variables["s"] == 2


async def test_a_variable_of_the_wrong_type_is_refused_before_any_fetch(
    fed: Federation,
) -> None:
    body = await fed.run("query($n: Int) { products(first: $n) { upc } }", {"n": "x"})

    assert body == {
        "errors": [
            {
                "message": "Variable '$n' has invalid value: Int cannot represent non-integer "
                "value: 'x'",
                "locations": [{"line": 1, "column": 7}],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
    }
    assert fed.requests == []


async def test_a_missing_required_variable_is_refused_before_any_fetch(fed: Federation) -> None:
    body = await fed.run("query($f: ProductFilter!) { products(filter: $f) { upc } }")

    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert "data" not in body
    assert fed.requests == []
