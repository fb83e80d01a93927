"""Jumps between subgraphs that know the same entity by different keys."""

from __future__ import annotations

from tests.conformance.harness import Federation

WRONG_KEY = (
    "ROUTER BUG: walk._jump/_key_for always use the target's first resolvable @key and never "
    "pick the key the current subgraph can supply; a missing key field is planned by "
    "jumping again (to accounts' @key(id) again, or - _cheapest preferring the group being "
    "built - to newsletter itself), recursing until RecursionError, which escapes "
    "pipeline.execute instead of becoming a GraphQL error"
)


async def test_a_key_the_current_subgraph_has_is_used(fed: Federation) -> None:
    body = await fed.run("{ leader { id name } }")

    assert body == {"data": {"leader": {"id": "2", "name": "Bob"}}}
    [entities] = fed.sent_to("accounts")
    assert entities.representations == [{"__typename": "User", "id": "2"}]


async def test_an_entity_with_both_keys_feeds_each_subgraph_its_own_key(
    fed: Federation,
) -> None:
    body = await fed.run("{ user(id: 1) { subscribed karma } }")

    assert body == {"data": {"user": {"subscribed": True, "karma": 10}}}
    assert fed.sent_to("newsletter")[0].representations == [
        {"__typename": "User", "email": "ada@example.com"}
    ]
    assert fed.sent_to("karma")[0].representations == [{"__typename": "User", "id": "1"}]


async def test_the_jump_uses_the_second_key_when_only_it_is_available(
    fed: Federation,
) -> None:
    body = await fed.run("{ subscribers { email name } }")

    assert body == {
        "data": {
            "subscribers": [
                {"email": "ada@example.com", "name": "Ada"},
                {"email": "bob@example.com", "name": "Bob"},
            ]
        }
    }
    assert fed.sent_to("accounts")[0].representations == [
        {"__typename": "User", "email": "ada@example.com"},
        {"__typename": "User", "email": "bob@example.com"},
    ]


async def test_a_key_is_translated_through_a_subgraph_that_has_both(fed: Federation) -> None:
    body = await fed.run("{ subscribers { email karma } }")

    assert body == {
        "data": {
            "subscribers": [
                {"email": "ada@example.com", "karma": 10},
                {"email": "bob@example.com", "karma": 20},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["newsletter", "accounts", "karma"]


async def test_the_translation_works_in_the_other_direction(fed: Federation) -> None:
    body = await fed.run("{ leader { subscribed } }")

    assert body == {"data": {"leader": {"subscribed": False}}}
    assert [r.subgraph for r in fed.requests] == ["karma", "accounts", "newsletter"]
