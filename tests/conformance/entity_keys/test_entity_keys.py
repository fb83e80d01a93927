"""Entity jumps through @key: single key, compound key, `resolvable: false` stubs."""

from __future__ import annotations

from tests.conformance.entity_keys.subgraphs import CALLS
from tests.conformance.harness import Federation


async def test_a_field_of_another_subgraph_is_fetched_through_the_key(fed: Federation) -> None:
    body = await fed.run('{ review(id: "r1") { body author { id name } } }')

    assert body == {"data": {"review": {"body": "Great", "author": {"id": "1", "name": "Ada"}}}}
    [entities] = fed.sent_to("accounts")
    assert entities.representations == [{"__typename": "User", "id": "1"}]


async def test_a_resolvable_false_stub_serves_its_key_without_any_entity_fetch(
    fed: Federation,
) -> None:
    body = await fed.run("{ reviews { author { id __typename } } }")

    assert body == {
        "data": {
            "reviews": [
                {"author": {"id": "1", "__typename": "User"}},
                {"author": {"id": "2", "__typename": "User"}},
                {"author": {"id": "404", "__typename": "User"}},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["reviews"]


async def test_an_entity_the_owner_does_not_know_nulls_up_to_the_nearest_nullable_parent(
    fed: Federation,
) -> None:
    body = await fed.run("{ reviews { body author { name } } }")

    # accounts answers null for user 404: its non-null name (or the non-null author itself,
    # both readings are defensible) bubbles up through Review! and [Review!]! to data.
    assert body["data"] is None
    [error] = body["errors"]
    assert error["path"][:3] == ["reviews", 2, "author"]
    assert error["message"].startswith("Cannot return null for non-nullable field ")


async def test_an_unknown_entity_under_a_nullable_parent_only_nulls_that_parent(
    fed: Federation,
) -> None:
    body = await fed.run(
        '{ a: review(id: "r2") { author { name } } b: review(id: "r3") { id author { name } } }'
    )

    assert body["data"] == {"a": {"author": {"name": "Bob"}}, "b": None}
    [error] = body["errors"]
    assert error["path"][:2] == ["b", "author"]


async def test_a_compound_key_carries_every_key_field(fed: Federation) -> None:
    body = await fed.run("{ orders { id parcel { carrier number status } } }")

    assert body == {
        "data": {
            "orders": [
                {
                    "id": "o1",
                    "parcel": {"carrier": "UPS", "number": 7, "status": "UPS#7 in transit"},
                },
                {"id": "o2", "parcel": None},
                {
                    "id": "o3",
                    "parcel": {"carrier": "DHL", "number": 7, "status": "DHL#7 in transit"},
                },
            ]
        }
    }
    [entities] = fed.sent_to("shipping")
    assert entities.representations == [
        {"__typename": "Parcel", "carrier": "UPS", "number": 7},
        {"__typename": "Parcel", "carrier": "DHL", "number": 7},
    ]
    assert CALLS == ["shipping Parcel UPS 7", "shipping Parcel DHL 7"]


async def test_key_fields_the_client_did_not_ask_for_are_not_in_the_answer(
    fed: Federation,
) -> None:
    body = await fed.run("{ orders { parcel { status } } }")

    assert body == {
        "data": {
            "orders": [
                {"parcel": {"status": "UPS#7 in transit"}},
                {"parcel": None},
                {"parcel": {"status": "DHL#7 in transit"}},
            ]
        }
    }


async def test_the_owner_answers_its_own_root_field_without_a_jump(fed: Federation) -> None:
    body = await fed.run('{ parcel(carrier: "UPS", number: 1) { status number } }')

    assert body == {"data": {"parcel": {"status": "at depot", "number": 1}}}
    assert [r.subgraph for r in fed.requests] == ["shipping"]
