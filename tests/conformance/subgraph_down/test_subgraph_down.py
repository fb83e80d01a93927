"""A subgraph that is down or broken: nulls and an error where it was needed, the rest intact."""

from __future__ import annotations

from typing import Any

from tests.conformance.harness import Federation

UNREACHABLE = "Subgraph {name} failed: unreachable ("


def without_unreachable_detail(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The body with the OS-specific end of "unreachable (...)" messages cut off."""
    for error in body.get("errors", []):
        prefix = UNREACHABLE.format(name=name)
        assert error["message"].startswith(prefix), error["message"]
        error["message"] = prefix + "...)"
    return body


def unavailable(name: str, path: list[str | int] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": UNREACHABLE.format(name=name) + "...)"}
    if path is not None:
        error["path"] = path
    error["extensions"] = {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": name}
    return error


async def test_fields_of_a_down_subgraph_are_null_with_an_error_at_their_path(
    reviews_down: Federation,
) -> None:
    body = await reviews_down.run("{ me { name reviews { body } } }")

    assert without_unreachable_detail(body, "reviews") == {
        "data": {"me": {"name": "Ada", "reviews": None}},
        "errors": [unavailable("reviews", ["me"])],
    }


async def test_a_non_null_field_of_a_down_subgraph_nulls_its_nullable_parent(
    reviews_down: Federation,
) -> None:
    body = await reviews_down.run("{ me { name reviewCount } }")

    assert without_unreachable_detail(body, "reviews") == {
        "data": {"me": None},
        "errors": [unavailable("reviews", ["me"])],
    }


async def test_a_down_subgraph_under_a_list_gives_one_error_and_a_null_per_item(
    reviews_down: Federation,
) -> None:
    body = await reviews_down.run("{ users { name reviews { body } } }")

    assert without_unreachable_detail(body, "reviews") == {
        "data": {"users": [{"name": "Ada", "reviews": None}, {"name": "Bob", "reviews": None}]},
        "errors": [unavailable("reviews", ["users"])],
    }


async def test_a_down_root_subgraph_leaves_the_other_root_fields(users_down: Federation) -> None:
    body = await users_down.run("{ me { name } topReviews { body } }")

    assert without_unreachable_detail(body, "users") == {
        "data": {"me": None, "topReviews": [{"body": "Great"}]},
        "errors": [unavailable("users")],
    }


async def test_a_down_root_subgraph_of_a_non_null_root_field_nulls_data(
    users_down: Federation,
) -> None:
    body = await users_down.run("{ users { name } topReviews { body } }")

    assert without_unreachable_detail(body, "users") == {
        "data": None,
        "errors": [unavailable("users")],
    }


async def test_a_down_subgraph_for_an_entity_jump_nulls_the_nullable_entity(
    users_down: Federation,
) -> None:
    body = await users_down.run("{ topReviews { body author { name } } }")

    assert without_unreachable_detail(body, "users") == {
        "data": {"topReviews": [{"body": "Great", "author": None}]},
        "errors": [unavailable("users", ["topReviews"])],
    }


async def test_a_subgraph_answering_a_non_graphql_500(reviews_broken: Federation) -> None:
    body = await reviews_broken.run("{ me { name reviews { body } } }")

    assert body == {
        "data": {"me": {"name": "Ada", "reviews": None}},
        "errors": [
            {
                "message": "Subgraph reviews failed: HTTP 500 Internal Server Error: "
                "the body is not JSON",
                "path": ["me"],
                "extensions": {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "reviews"},
            }
        ],
    }
