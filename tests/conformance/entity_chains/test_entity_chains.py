"""Jumps through three subgraphs, nested lists, null objects on the way, and answer order."""

from __future__ import annotations

from tests.conformance.harness import Federation


async def test_a_jump_from_the_result_of_a_jump(fed: Federation) -> None:
    body = await fed.run("{ me { name reviews { body product { title } } } }")

    assert body == {
        "data": {
            "me": {
                "name": "Ada",
                "reviews": [
                    {"body": "Nice", "product": {"title": "Table"}},
                    {"body": "Lost", "product": None},
                ],
            }
        }
    }
    assert [r.subgraph for r in fed.requests] == ["users", "reviews", "products"]
    assert fed.sent_to("products")[0].representations == [{"__typename": "Product", "upc": "p1"}]


async def test_back_and_forth_between_three_subgraphs_through_nested_lists(
    fed: Federation,
) -> None:
    body = await fed.run(
        "{ users { name reviews { product { title maker { name reviews { body } } } } } }"
    )

    ada = {"name": "Ada", "reviews": [{"body": "Nice"}, {"body": "Lost"}]}
    bob = {"name": "Bob", "reviews": [{"body": "Bright"}, {"body": "Again"}]}
    table = {"product": {"title": "Table", "maker": bob}}
    lamp = {"product": {"title": "Lamp", "maker": ada}}
    assert body == {
        "data": {
            "users": [
                {"name": "Ada", "reviews": [table, {"product": None}]},
                {"name": "Bob", "reviews": [lamp, table]},
            ]
        }
    }


async def test_two_jumps_from_one_object_run_from_the_same_representations(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { title maker { name reviews { body } } } }")

    assert body == {
        "data": {
            "products": [
                {
                    "title": "Table",
                    "maker": {"name": "Bob", "reviews": [{"body": "Bright"}, {"body": "Again"}]},
                },
                {
                    "title": "Lamp",
                    "maker": {"name": "Ada", "reviews": [{"body": "Nice"}, {"body": "Lost"}]},
                },
            ]
        }
    }


async def test_fields_keep_the_query_order_whatever_subgraph_answers_them(
    fed: Federation,
) -> None:
    body = await fed.run("{ me { reviews { body } id name } users { name id } }")

    assert list(body["data"]) == ["me", "users"]
    assert list(body["data"]["me"]) == ["reviews", "id", "name"]
    assert [list(u) for u in body["data"]["users"]] == [["name", "id"], ["name", "id"]]


async def test_fields_added_for_planning_are_not_in_the_answer(fed: Federation) -> None:
    body = await fed.run("{ me { reviews { product { maker { id } } } } }")

    assert body == {
        "data": {"me": {"reviews": [{"product": {"maker": {"id": "2"}}}, {"product": None}]}}
    }
