"""A subscription is refused with a coded error, never sent to a subgraph as a query."""

from __future__ import annotations

from tests.conformance.harness import Federation
from tests.conformance.subscriptions.subgraphs import SUBSCRIBED

REFUSED = {
    "errors": [
        {
            "message": "This router does not serve subscriptions yet.",
            "extensions": {"code": "SUBSCRIPTION_DISABLED"},
        }
    ]
}


async def test_a_subscription_is_refused_before_any_subgraph_is_called(fed: Federation) -> None:
    body = await fed.run("subscription { ticks }")
    assert body == REFUSED
    assert fed.requests == []
    assert SUBSCRIBED == []


async def test_a_resent_subscription_is_refused_again(fed: Federation) -> None:
    assert await fed.run("subscription Again { ticks }") == REFUSED
    assert await fed.run("subscription Again { ticks }") == REFUSED
    assert fed.requests == []


async def test_a_query_of_the_same_graph_still_runs(fed: Federation) -> None:
    assert await fed.run("{ now }") == {"data": {"now": 1}}
