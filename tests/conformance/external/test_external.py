"""@external fields are never read from the subgraph that only declares them."""

from __future__ import annotations

import re

from tests.conformance.harness import Federation


async def test_an_external_field_under_the_declaring_subgraphs_root_comes_from_its_owner(
    fed: Federation,
) -> None:
    body = await fed.run("{ stock { upc name count } }")

    assert body == {
        "data": {
            "stock": [
                {"upc": "p1", "name": "Table", "count": 3},
                {"upc": "p2", "name": "Lamp", "count": 0},
            ]
        }
    }
    assert not re.search(r"\bname\b", fed.sent_to("inventory")[0].query)


async def test_an_external_field_feeds_a_requires_of_its_declaring_subgraph(
    fed: Federation,
) -> None:
    body = await fed.run("{ products { label } }")

    assert body == {"data": {"products": [{"label": "TABLE x3"}, {"label": "LAMP x0"}]}}
    assert fed.sent_to("inventory")[0].representations == [
        {"__typename": "Product", "upc": "p1", "name": "Table"},
        {"__typename": "Product", "upc": "p2", "name": "Lamp"},
    ]


async def test_a_requires_field_under_its_own_root_reads_the_external_from_the_owner(
    fed: Federation,
) -> None:
    body = await fed.run("{ stock { label } }")

    assert body == {"data": {"stock": [{"label": "TABLE x3"}, {"label": "LAMP x0"}]}}
