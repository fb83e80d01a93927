"""Subgraph errors re-pathed to client paths; nulls bubble to the nearest nullable parent."""

from __future__ import annotations

from tests.conformance.harness import Federation

NAME_3 = "name of user 3 is unavailable"
KARMA_2 = "karma of user 2 is being recomputed"


def users_error(message: str, path: list[str | int], code: str = "DOWNSTREAM_SERVICE_ERROR"):
    return {"message": message, "path": path, "extensions": {"code": code, "serviceName": "users"}}


def reviews_error(message: str, path: list[str | int]):
    return {
        "message": message,
        "path": path,
        "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "reviews"},
    }


async def test_a_nullable_field_error_keeps_the_rest_and_the_subgraphs_code(
    fed: Federation,
) -> None:
    body = await fed.run("{ me { name nickname } }")

    assert body == {
        "data": {"me": {"name": "Ada", "nickname": None}},
        "errors": [users_error("nickname is private", ["me", "nickname"], code="FORBIDDEN")],
    }


async def test_an_error_under_an_alias_is_reported_at_the_alias(fed: Federation) -> None:
    body = await fed.run("{ me { secret: nickname } }")

    assert body == {
        "data": {"me": {"secret": None}},
        "errors": [users_error("nickname is private", ["me", "secret"], code="FORBIDDEN")],
    }


async def test_a_non_null_error_under_a_non_null_root_field_nulls_data(fed: Federation) -> None:
    body = await fed.run("{ strict { name } reviews { body } }")

    assert body == {"data": None, "errors": [users_error(NAME_3, ["strict", "name"])]}


async def test_a_non_null_entity_error_bubbles_to_the_nullable_list_item(
    fed: Federation,
) -> None:
    body = await fed.run("{ reviews { body author { name } } }")

    assert body == {
        "data": {
            "reviews": [
                {"body": "Great", "author": {"name": "Ada"}},
                None,
                None,
                {"body": "Fine", "author": {"name": "Bob"}},
            ]
        },
        "errors": [
            users_error(NAME_3, ["reviews", 1, "author", "name"]),
            users_error(NAME_3, ["reviews", 2, "author", "name"]),
        ],
    }


async def test_an_entity_field_error_for_one_item_gets_that_items_path(fed: Federation) -> None:
    body = await fed.run("{ users { id karma } }")

    assert body == {
        "data": {"users": [{"id": "1", "karma": 10}, {"id": "2", "karma": None}]},
        "errors": [reviews_error(KARMA_2, ["users", 1, "karma"])],
    }


async def test_a_null_item_in_a_list_of_non_null_items_nulls_the_list(fed: Federation) -> None:
    body = await fed.run("{ authors { name } }")

    assert body == {
        "data": {"authors": None},
        "errors": [users_error(NAME_3, ["authors", 1, "name"])],
    }


async def test_errors_of_a_root_fetch_keep_their_list_indexes(fed: Federation) -> None:
    body = await fed.run("{ reviews { author { karma } } }")

    assert body == {
        "data": {
            "reviews": [
                {"author": {"karma": 10}},
                {"author": {"karma": 30}},
                {"author": {"karma": 30}},
                {"author": {"karma": None}},
            ]
        },
        "errors": [reviews_error(KARMA_2, ["reviews", 3, "author", "karma"])],
    }


async def test_an_error_in_one_subgraph_leaves_the_other_subgraphs_fields(
    fed: Federation,
) -> None:
    body = await fed.run("{ me { nickname karma } }")

    assert body == {
        "data": {"me": {"nickname": None, "karma": 10}},
        "errors": [users_error("nickname is private", ["me", "nickname"], code="FORBIDDEN")],
    }
