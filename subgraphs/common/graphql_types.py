"""GraphQL types both subgraphs define: the shareable PageInfo and generic connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from subgraphs.common.cache_control import INHERIT_HINT
from subgraphs.common.pagination import Page, SortKey

N = TypeVar("N")
Row = TypeVar("Row")


@strawberry.federation.type(
    shareable=True, description="Where a page of a connection ends.", directives=[INHERIT_HINT]
)
class PageInfo:
    """Relay page info; defined identically by every subgraph, hence @shareable."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A node with the cursor that points at it.", directives=[INHERIT_HINT])
class Edge(Generic[N]):
    """One element of a connection."""

    cursor: str
    node: N


@strawberry.type(description="A page of nodes, Relay style.", directives=[INHERIT_HINT])
class Connection(Generic[N]):
    """A page of nodes; ``totalCount`` is computed only when a client asks for it."""

    edges: list[Edge[N]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many nodes the whole list holds, across all pages.")
    async def total_count(self) -> int:
        """Count the nodes of every page."""
        return await self.count()


def build_connection(
    page: Page[Row],
    sort_key: SortKey,
    to_node: Callable[[Row], N],
    count: Callable[[], Awaitable[int]],
) -> Connection[N]:
    """A Connection over ``page``, with a cursor per edge taken from ``sort_key``."""
    edges: Sequence[Edge[N]] = [
        Edge(cursor=sort_key.cursor(row), node=to_node(row)) for row in page.items
    ]
    return Connection(
        edges=list(edges),
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )
