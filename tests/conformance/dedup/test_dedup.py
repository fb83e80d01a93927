"""Deduplicated representations: one `_entities` index feeds every response path it stands for."""

from __future__ import annotations

from tests.conformance.dedup.subgraphs import CALLS
from tests.conformance.harness import Federation


async def test_repeated_entities_are_sent_once_and_fill_every_item(fed: Federation) -> None:
    body = await fed.run("{ reviews { id author { name } } }")

    assert body == {
        "data": {
            "reviews": [
                {"id": "r1", "author": {"name": "Ada"}},
                {"id": "r2", "author": {"name": "Bob"}},
                {"id": "r3", "author": {"name": "Ada"}},
                {"id": "r4", "author": {"name": "Ada"}},
            ]
        }
    }
    [entities] = fed.sent_to("users")
    assert entities.representations == [
        {"__typename": "User", "id": "1"},
        {"__typename": "User", "id": "2"},
    ]
    assert CALLS == ["User 1", "User 2"]


async def test_each_entity_fetch_is_deduplicated_on_its_own(fed: Federation) -> None:
    body = await fed.run("{ reviews { author { name } product { title } } }")

    assert body == {
        "data": {
            "reviews": [
                {"author": {"name": "Ada"}, "product": {"title": "Table"}},
                {"author": {"name": "Bob"}, "product": {"title": "Table"}},
                {"author": {"name": "Ada"}, "product": {"title": "Lamp"}},
                {"author": {"name": "Ada"}, "product": {"title": "Table"}},
            ]
        }
    }
    assert sorted(CALLS) == ["Product p1", "Product p2", "User 1", "User 2"]


async def test_entities_repeated_across_nested_lists_are_sent_once(fed: Federation) -> None:
    body = await fed.run("{ reviews { author { reviews { id author { name } } } } }")

    ada = {"reviews": [{"id": f"r{i}", "author": {"name": "Ada"}} for i in (1, 3, 4)]}
    bob = {"reviews": [{"id": "r2", "author": {"name": "Bob"}}]}
    assert body == {
        "data": {"reviews": [{"author": ada}, {"author": bob}, {"author": ada}, {"author": ada}]}
    }
    assert CALLS == ["User 1", "User 2"]


async def test_an_answer_with_the_wrong_number_of_entities_is_an_error(
    short_users: Federation,
) -> None:
    body = await short_users.run("{ reviews { id author { name } } }")

    assert body == {
        "data": None,
        "errors": [
            {
                "message": "users answered 1 entities for 2 representations",
                "path": ["reviews"],
                "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "users"},
            }
        ],
    }
