"""PipelineHolder: requests finish on the pipeline they started on; a replaced one closes last.

The pipelines here are stand-ins (the holder only counts and delegates); the reload of
real supergraphs over the real subgraphs is in test_reload_watch.py and test_reload_router.py.
"""

from __future__ import annotations

import asyncio

from router.server.contract import GraphQLRequest, Outcome
from router.server.reload import PipelineHolder


class Gated:
    """A pipeline that answers with its name once its gate opens."""

    def __init__(self, name: str, *, open_gate: bool = True) -> None:
        self.name = name
        self.gate = asyncio.Event()
        if open_gate:
            self.gate.set()
        self.started = 0
        self.closed = False

    async def execute(self, request: GraphQLRequest) -> Outcome:
        self.started += 1
        await self.gate.wait()
        return Outcome({"data": {"from": self.name}})

    async def ready(self) -> bool:
        return not self.closed

    async def close(self) -> None:
        self.closed = True


REQUEST = GraphQLRequest("{ from }")


async def settle() -> None:
    """Let tasks scheduled by the holder run (bounded: a few loop turns)."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_requests_in_flight_finish_on_the_old_pipeline_and_new_ones_use_the_new() -> None:
    old, new = Gated("old", open_gate=False), Gated("new")
    holder = PipelineHolder(old, old.close, label="a")
    in_flight = [asyncio.create_task(holder.execute(REQUEST)) for _ in range(3)]
    await settle()
    assert old.started == 3

    await holder.swap(new, new.close, label="b")

    assert holder.label == "b"
    assert holder.pipeline is new
    assert (await holder.execute(REQUEST)).body == {"data": {"from": "new"}}
    assert not old.closed
    assert holder.draining() == 1

    old.gate.set()
    answers = await asyncio.gather(*in_flight)
    await settle()

    assert [a.body for a in answers] == [{"data": {"from": "old"}}] * 3
    assert old.closed
    assert holder.draining() == 0
    assert not new.closed


async def test_an_idle_pipeline_is_closed_at_the_swap() -> None:
    old, new = Gated("old"), Gated("new")
    holder = PipelineHolder(old, old.close)

    await holder.swap(new, new.close)

    assert old.closed
    assert holder.draining() == 0


async def test_several_swaps_under_load_close_each_pipeline_once_it_is_idle() -> None:
    first, second, third = Gated("1", open_gate=False), Gated("2", open_gate=False), Gated("3")
    holder = PipelineHolder(first, first.close)
    on_first = asyncio.create_task(holder.execute(REQUEST))
    await settle()
    await holder.swap(second, second.close)
    on_second = asyncio.create_task(holder.execute(REQUEST))
    await settle()
    await holder.swap(third, third.close)

    second.gate.set()
    assert (await on_second).body == {"data": {"from": "2"}}
    await settle()
    assert second.closed
    assert not first.closed

    first.gate.set()
    assert (await on_first).body == {"data": {"from": "1"}}
    await settle()
    assert first.closed
    assert not third.closed


async def test_ready_asks_the_live_pipeline() -> None:
    old, new = Gated("old"), Gated("new")
    holder = PipelineHolder(old, old.close)
    assert await holder.ready()

    await holder.swap(new, new.close)
    new.closed = True

    assert not await holder.ready()


async def test_closing_the_holder_closes_the_live_and_the_draining_pipelines() -> None:
    old, new = Gated("old", open_gate=False), Gated("new")
    holder = PipelineHolder(old, old.close)
    stuck = asyncio.create_task(holder.execute(REQUEST))
    await settle()
    await holder.swap(new, new.close)

    await holder.aclose()

    assert old.closed
    assert new.closed
    stuck.cancel()
