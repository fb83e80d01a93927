"""@interfaceObject: interface fields from a subgraph that does not know the concrete types."""

from __future__ import annotations

from tests.conformance.harness import Federation

NO_REAL_TYPENAME = (
    "ROUTER BUG: walk.py takes __typename from the @interfaceObject subgraph (activity "
    "answers 'Account', the interface) and never fetches the real type from accounts "
    "through the Account key; fragments on Personal/Business are dropped "
    "(walk._fragment narrows to types activity knows: none), and shape.py then nulls "
    "every object because 'Account' is not an object type"
)


async def test_interface_object_fields_are_fetched_for_concrete_types(fed: Federation) -> None:
    body = await fed.run("{ accounts { id lastSeen } }")

    assert body == {
        "data": {
            "accounts": [{"id": "1", "lastSeen": "today"}, {"id": "2", "lastSeen": "yesterday"}]
        }
    }


async def test_representations_to_the_interface_object_carry_the_interface_name(
    fed: Federation,
) -> None:
    await fed.run("{ accounts { lastSeen } }")

    assert fed.sent_to("activity")[0].representations == [
        {"__typename": "Account", "id": "1"},
        {"__typename": "Account", "id": "2"},
    ]


async def test_interface_object_fields_inside_a_concrete_type_fragment(fed: Federation) -> None:
    body = await fed.run("{ accounts { __typename ... on Business { company lastSeen } } }")

    assert body == {
        "data": {
            "accounts": [
                {"__typename": "Personal"},
                {"__typename": "Business", "company": "company2", "lastSeen": "yesterday"},
            ]
        }
    }


async def test_typename_under_an_interface_object_root_is_the_concrete_type(
    fed: Federation,
) -> None:
    body = await fed.run("{ recentAccounts { id lastSeen __typename } }")

    assert body == {
        "data": {
            "recentAccounts": [
                {"id": "2", "lastSeen": "yesterday", "__typename": "Business"},
                {"id": "3", "lastSeen": "never", "__typename": "Personal"},
            ]
        }
    }


async def test_concrete_type_fragments_under_an_interface_object_root(fed: Federation) -> None:
    body = await fed.run(
        "{ recentAccounts { ... on Personal { owner } ... on Business { company } } }"
    )

    assert body == {"data": {"recentAccounts": [{"company": "company2"}, {"owner": "owner3"}]}}
    assert [r.subgraph for r in fed.requests] == ["activity", "accounts"]


async def test_interface_object_objects_are_not_nulled_when_only_local_fields_are_asked(
    fed: Federation,
) -> None:
    body = await fed.run("{ recentAccounts { id lastSeen } }")

    assert body == {
        "data": {
            "recentAccounts": [
                {"id": "2", "lastSeen": "yesterday"},
                {"id": "3", "lastSeen": "never"},
            ]
        }
    }


async def test_an_object_whose_real_type_cannot_be_found_is_null(fed: Federation) -> None:
    body = await fed.run("{ withUnknown { id __typename } }")

    assert body["data"] == {"withUnknown": [{"id": "2", "__typename": "Business"}, None]}
