"""First-time work off the event loop, within a deadline; verdicts kept by normalised document."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import router.pipeline
from router.operation.deadline import PrepareTimeout, shared_worker
from router.operation.limits import OperationLimits
from router.operation.prepare import OperationError, PreparedOperation
from router.pipeline import RouterPipeline
from router.server.contract import GraphQLRequest
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphRequest, SubgraphResponse

SUPERGRAPH = read_supergraph(
    (Path(__file__).parents[3] / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
)
# graphql-core compares these 500 fields pairwise: seconds of validation, well within
# every limit but the selections per set, which these tests leave off.
QUADRATIC = "{ " + "me { id } " * 500 + "}"


def spin(stop: threading.Event) -> int:
    """Pure-Python work that only an interruption ends (or ``stop``)."""
    turns = 0
    while not stop.is_set():
        turns += 1
    return turns


async def test_work_past_its_deadline_is_interrupted_and_the_loop_kept_running() -> None:
    worker = shared_worker(0.3)
    stop = threading.Event()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    try:
        with pytest.raises(PrepareTimeout) as caught:
            await worker.run(lambda: spin(stop))
    finally:
        ticking.cancel()
    assert caught.value.ran is True
    assert caught.value.error == {
        "message": "Operation preparation took more than the limit of 0.3 s.",
        "extensions": {"code": "MAX_PREPARE_TIME_EXCEEDED"},
    }
    # The loop ran its other tasks while the worker spun.
    assert ticks > 0
    # The worker thread survived its interruption and takes the next job.
    assert await worker.run(lambda: 42) == 42


async def test_a_job_still_waiting_at_its_deadline_never_runs() -> None:
    worker = shared_worker(0.3)
    ran = threading.Event()
    # Asleep in C, the first job cannot be interrupted before it wakes: the second waits.
    busy = asyncio.ensure_future(worker.run(lambda: time.sleep(1)))
    await asyncio.sleep(0.05)
    with pytest.raises(PrepareTimeout) as caught:
        await worker.run(ran.set)
    assert caught.value.ran is False
    assert "waited more than the limit" in caught.value.message
    with pytest.raises(PrepareTimeout):
        await busy
    assert await worker.run(lambda: "next") == "next"
    assert not ran.is_set()


class NoSubgraph:
    """A transport for requests the router answers itself: any call is a test failure."""

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        raise AssertionError(f"no subgraph call expected, got one to {subgraph}")


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = router.pipeline.prepare

    def prepare(*args: Any) -> PreparedOperation:
        seen.append(args[1])
        return real(*args)

    monkeypatch.setattr(router.pipeline, "prepare", prepare)
    return seen


async def answer(pipeline: RouterPipeline, query: str) -> dict[str, Any]:
    outcome = await pipeline.execute(GraphQLRequest(query=query))
    return dict(outcome.body)


async def test_a_slow_document_is_refused_at_the_deadline_and_the_verdict_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pipeline = RouterPipeline(SUPERGRAPH, NoSubgraph(), limits=OperationLimits(prepare_seconds=0.2))
    seen = counting(monkeypatch)
    for comment in ("", "# again\n", "# and again\n"):
        body = await answer(pipeline, comment + QUADRATIC)
        assert body["errors"][0]["extensions"] == {"code": "MAX_PREPARE_TIME_EXCEEDED"}
    assert seen == [QUADRATIC]
    assert await answer(pipeline, "{ __typename }") == {"data": {"__typename": "Query"}}


async def test_a_refusal_is_kept_by_normalised_document(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = RouterPipeline(SUPERGRAPH, NoSubgraph(), limits=OperationLimits(max_depth=1))
    seen = counting(monkeypatch)
    deep = "{ users { totalCount } }"
    for spelling in (
        deep,
        "# a comment\n" + deep,
        "{users{totalCount}}",
        "{ users, { totalCount } }",
    ):
        with pytest.raises(OperationError) as caught:
            pipeline.operation(spelling, None, frozenset())
        assert caught.value.errors[0]["extensions"] == {"code": "MAX_DEPTH_EXCEEDED"}
    assert seen == [deep]
    # Another document is not taken for it.
    assert pipeline.operation("{ __typename }", None, frozenset()).prepared.kind == "query"
    assert seen == [deep, "{ __typename }"]
