"""A subgraph with a ``Subscription`` root, which the router does not serve yet.

- ``ticks``: ``Query.now`` and ``Subscription.ticks`` (a stream of counters).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

SUBSCRIBED: list[str] = []


@strawberry.type
class Query:
    @strawberry.field
    def now(self) -> int:
        return 1


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        SUBSCRIBED.append("ticks")
        yield 1


ticks = strawberry.federation.Schema(
    query=Query, subscription=Subscription, federation_version="2.7"
)
