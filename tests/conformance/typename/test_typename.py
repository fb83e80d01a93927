"""``__typename`` on nested objects, abstract types and entities from another subgraph."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_typename_on_interface_values_is_the_concrete_type(fed: Federation) -> None:
    body = await fed.run("{ animals { __typename name } }")

    assert body == {
        "data": {
            "animals": [{"__typename": "Dog", "name": "Rex"}, {"__typename": "Cat", "name": "Tom"}]
        }
    }


async def test_aliased_typenames(fed: Federation) -> None:
    body = await fed.run("{ animals { kind: __typename t2: __typename } }")

    assert body == {
        "data": {"animals": [{"kind": "Dog", "t2": "Dog"}, {"kind": "Cat", "t2": "Cat"}]}
    }


async def test_typename_on_nested_objects_and_union_values(fed: Federation) -> None:
    body = await fed.run("{ owner { __typename pet { __typename } } }")

    assert body == {"data": {"owner": {"__typename": "Owner", "pet": {"__typename": "Dog"}}}}


async def test_typename_inside_a_type_fragment_of_a_union(fed: Federation) -> None:
    body = await fed.run("{ pets { ... on Dog { __typename } } }")

    assert body == {"data": {"pets": [{}, {"__typename": "Dog"}]}}


async def test_typename_of_objects_fetched_from_another_subgraph(fed: Federation) -> None:
    body = await fed.run("{ animals { ... on Dog { checkup { __typename date } __typename } } }")

    assert body == {
        "data": {
            "animals": [
                {"checkup": {"__typename": "Checkup", "date": "2024-01-01"}, "__typename": "Dog"},
                {},
            ]
        }
    }


async def test_typename_of_an_entity_whose_other_fields_come_from_elsewhere(
    fed: Federation,
) -> None:
    body = await fed.run("{ nextPatient { __typename name checkup { __typename } } }")

    assert body == {
        "data": {
            "nextPatient": {
                "__typename": "Dog",
                "name": "Rex",
                "checkup": {"__typename": "Checkup"},
            }
        }
    }


async def test_a_skipped_typename_is_left_out(fed: Federation) -> None:
    body = await fed.run("{ animals { __typename @skip(if: true) name } }")

    assert body == {"data": {"animals": [{"name": "Rex"}, {"name": "Tom"}]}}
