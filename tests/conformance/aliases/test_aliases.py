"""Aliases, including ones that clash with the key fields the planner adds."""

from __future__ import annotations

from tests.conformance.harness import Federation

KEY_CLASH = (
    "ROUTER BUG: the planner (walk._jump -> _provide -> selections.SelectionSet.field) adds "
    "the key field `id` next to the client's alias `id: {field}` in the same selection, so "
    "the subgraph rejects `{{id:{field} __typename id}}` (Fields 'id' conflict); Apollo "
    "aliases the planner's field and renames it back (KeyRenamer)"
)


async def test_two_aliases_of_one_field_with_different_arguments(fed: Federation) -> None:
    body = await fed.run(
        '{ user(id: 1) { en: greeting(lang: "en") fr: greeting(lang: "fr") greeting } }'
    )

    assert body == {
        "data": {"user": {"en": "Hello Ada", "fr": "Bonjour Ada", "greeting": "Hello Ada"}}
    }


async def test_two_aliases_with_different_arguments_in_an_entity_fetch(fed: Federation) -> None:
    body = await fed.run(
        '{ posts { author { en: greeting(lang: "en") fr: greeting(lang: "de") } } }'
    )

    assert body == {
        "data": {
            "posts": [
                {"author": {"en": "Hello Ada", "fr": "Hallo Ada"}},
                {"author": {"en": "Hello Bob", "fr": "Hallo Bob"}},
            ]
        }
    }
    assert len(fed.sent_to("users")) == 1


async def test_aliased_root_fields_of_one_subgraph(fed: Federation) -> None:
    body = await fed.run("{ a: user(id: 1) { name } b: user(id: 2) { who: name } }")

    assert body == {"data": {"a": {"name": "Ada"}, "b": {"who": "Bob"}}}


async def test_an_aliased_key_field_still_feeds_the_jump(fed: Federation) -> None:
    body = await fed.run("{ users { userId: id karma } }")

    assert body == {"data": {"users": [{"userId": "1", "karma": 10}, {"userId": "2", "karma": 20}]}}


async def test_aliases_that_swap_field_names(fed: Federation) -> None:
    body = await fed.run("{ posts { title: id id: title } }")

    assert body == {
        "data": {"posts": [{"title": "p1", "id": "First"}, {"title": "p2", "id": "Second"}]}
    }


async def test_an_alias_named_like_the_key_in_the_entity_fetch(fed: Federation) -> None:
    body = await fed.run("{ posts { author { id: name } } }")

    assert body == {"data": {"posts": [{"author": {"id": "Ada"}}, {"author": {"id": "Bob"}}]}}


async def test_an_alias_named_like_a_field_of_another_subgraph(fed: Federation) -> None:
    body = await fed.run("{ posts { author { karma: name realKarma: karma } } }")

    assert body == {
        "data": {
            "posts": [
                {"author": {"karma": "Ada", "realKarma": 10}},
                {"author": {"karma": "Bob", "realKarma": 20}},
            ]
        }
    }


async def test_a_client_alias_clashing_with_the_key_the_planner_needs(fed: Federation) -> None:
    body = await fed.run("{ users { id: name karma } }")

    assert body == {"data": {"users": [{"id": "Ada", "karma": 10}, {"id": "Bob", "karma": 20}]}}


async def test_a_key_clash_in_a_nested_object_of_the_root_fetch(fed: Federation) -> None:
    body = await fed.run("{ posts { author { id: karma name } } }")

    assert body == {
        "data": {
            "posts": [
                {"author": {"id": 10, "name": "Ada"}},
                {"author": {"id": 20, "name": "Bob"}},
            ]
        }
    }
