"""The invalidation collector and the schema extension that writes it into a response."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.invalidation import InvalidationExtension, Invalidations


def test_items_come_in_the_order_first_named_each_once() -> None:
    named = Invalidations()
    assert not named

    named.entity("Task", {"id": "t1"})
    named.entity("User", {"id": "u1"})
    named.all_of_type("Task")
    named.entity("Task", {"id": "t1"})
    named.all_of_type("Task")
    named.entity("Order", {"id": "o1", "shop": {"id": "s1"}})
    named.entity("Order", {"shop": {"id": "s1"}, "id": "o1"})

    assert named
    assert named.items() == [
        {"kind": "entity", "type": "Task", "key": {"id": "t1"}},
        {"kind": "entity", "type": "User", "key": {"id": "u1"}},
        {"kind": "type", "type": "Task"},
        {"kind": "entity", "type": "Order", "key": {"id": "o1", "shop": {"id": "s1"}}},
    ]


class Context:
    def __init__(self) -> None:
        self.invalidations = Invalidations()


@strawberry.type
class Query:
    @strawberry.field
    def ping(self) -> bool:
        return True


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self, info: Info[Context, None], kinds: list[str]) -> bool:
        for kind in kinds:
            info.context.invalidations.all_of_type(kind)
        return True


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation, extensions=[InvalidationExtension])


async def run(query: str, context: Any) -> dict[str, Any] | None:
    result = await SCHEMA.execute(query, context_value=context)
    assert result.errors is None
    return result.extensions


async def test_the_extension_writes_what_the_request_named() -> None:
    extensions = await run('mutation { touch(kinds: ["Task", "User"]) }', Context())

    assert extensions == {
        "invalidation": [{"kind": "type", "type": "Task"}, {"kind": "type", "type": "User"}]
    }


async def test_nothing_named_or_no_collector_writes_nothing() -> None:
    assert await run("mutation { touch(kinds: []) }", Context()) == {}
    assert await run("{ ping }", Context()) == {}
    assert await run("{ ping }", None) == {}
