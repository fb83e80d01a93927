"""Keys with a nested selection: ``id org { id }``."""

from __future__ import annotations

from tests.conformance.harness import Federation
from tests.conformance.nested_keys.subgraphs import CALLS


async def test_the_nested_key_is_sent_whole_and_tells_apart_equal_ids(fed: Federation) -> None:
    body = await fed.run("{ members { title salary } }")

    assert body == {
        "data": {
            "members": [
                {"title": "CEO", "salary": 100},
                {"title": "CTO", "salary": 200},
                {"title": "Intern", "salary": 10},
            ]
        }
    }
    assert fed.sent_to("payroll")[0].representations == [
        {"__typename": "Member", "id": "1", "org": {"id": "acme"}},
        {"__typename": "Member", "id": "2", "org": {"id": "acme"}},
        {"__typename": "Member", "id": "1", "org": {"id": "globex"}},
    ]
    assert CALLS == [("acme", "1"), ("acme", "2"), ("globex", "1")]


async def test_the_nested_key_works_from_the_other_side(fed: Federation) -> None:
    body = await fed.run("{ topEarner { salary title org { id } } }")

    assert body == {"data": {"topEarner": {"salary": 200, "title": "CTO", "org": {"id": "acme"}}}}


async def test_the_client_may_alias_the_nested_key_object(fed: Federation) -> None:
    body = await fed.run("{ members { company: org { name: id } salary } }")

    assert body == {
        "data": {
            "members": [
                {"company": {"name": "acme"}, "salary": 100},
                {"company": {"name": "acme"}, "salary": 200},
                {"company": {"name": "globex"}, "salary": 10},
            ]
        }
    }


async def test_the_client_may_select_only_typename_in_the_nested_key_object(
    fed: Federation,
) -> None:
    body = await fed.run("{ topEarner { org { __typename } title } }")

    assert body == {"data": {"topEarner": {"org": {"__typename": "Org"}, "title": "CTO"}}}
