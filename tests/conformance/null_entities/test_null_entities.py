"""A null from ``_entities`` nulls the fields that subgraph contributes, not the object.

Apollo's gateway does the same (the planner differential test compares them); a non-null
field among them propagates the null to the object, with GraphQL's error.
"""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_what_other_subgraphs_filled_in_stays(fed: Federation) -> None:
    body = await fed.run("{ books { id title shelf } }")

    assert body == {
        "data": {
            "books": [
                {"id": "b1", "title": "Dune", "shelf": "A"},
                {"id": "b2", "title": "Emma", "shelf": None},
            ]
        }
    }


async def test_a_missing_non_null_field_nulls_the_object_with_an_error(fed: Federation) -> None:
    body = await fed.run("{ books { title position } }")

    assert body["data"] == {"books": [{"title": "Dune", "position": 1}, None]}
    assert [e["path"] for e in body["errors"]] == [["books", 1, "position"]]
