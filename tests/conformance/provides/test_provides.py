"""@provides holds only on the providing path; elsewhere the owner resolves the field."""

from __future__ import annotations

from tests.conformance.harness import Federation, fetches
from tests.conformance.provides.subgraphs import CALLS


async def test_a_provided_field_comes_from_the_providing_subgraph_in_one_fetch(
    fed: Federation,
) -> None:
    body = await fed.run("{ reviews { body author { name } } }")

    assert body == {
        "data": {
            "reviews": [
                {"body": "Great", "author": {"name": "Ada (via reviews)"}},
                {"body": "Meh", "author": {"name": "Bob (via reviews)"}},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["reviews"]
    assert CALLS == []


async def test_the_same_field_off_the_providing_path_comes_from_its_owner(
    fed: Federation,
) -> None:
    body = await fed.run("{ topReviewer { name } }")

    assert body == {"data": {"topReviewer": {"name": "Bob"}}}
    assert [r.subgraph for r in fed.requests] == ["reviews", "accounts"]
    assert CALLS == ["2"]


async def test_both_paths_in_one_query_keep_their_own_source(fed: Federation) -> None:
    body = await fed.run("{ reviews { author { name } } topReviewer { name } }")

    assert body == {
        "data": {
            "reviews": [
                {"author": {"name": "Ada (via reviews)"}},
                {"author": {"name": "Bob (via reviews)"}},
            ],
            "topReviewer": {"name": "Bob"},
        }
    }
    assert CALLS == ["2"]


async def test_only_unprovided_fields_are_fetched_from_the_owner(fed: Federation) -> None:
    body = await fed.run("{ reviews { author { name email } } }")

    assert body == {
        "data": {
            "reviews": [
                {"author": {"name": "Ada (via reviews)", "email": "ada@example.com"}},
                {"author": {"name": "Bob (via reviews)", "email": "bob@example.com"}},
            ]
        }
    }
    [entities] = fed.sent_to("accounts")
    assert "name" not in entities.query


async def test_a_provided_field_inside_a_fragment_is_still_provided(fed: Federation) -> None:
    body = await fed.run(
        "{ reviews { author { ...Named ... on User { id } } } } fragment Named on User { name }"
    )

    assert body == {
        "data": {
            "reviews": [
                {"author": {"name": "Ada (via reviews)", "id": "1"}},
                {"author": {"name": "Bob (via reviews)", "id": "2"}},
            ]
        }
    }
    assert [r.subgraph for r in fed.requests] == ["reviews"]


def test_the_provided_path_plans_a_single_fetch(fed: Federation) -> None:
    plan = fed.plan("{ reviews { author { id name } } }")

    assert [f["serviceName"] for f in fetches(plan)] == ["reviews"]
