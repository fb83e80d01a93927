"""The pipeline the server calls, which a supergraph reload swaps without dropping a request.

``PipelineHolder`` implements the server's Pipeline protocol by delegating to the live
pipeline. A reload ``swap``s in a new one: requests already running finish on the pipeline
they started on, new ones go to the new one, and the old pipeline is closed (its leases on
subgraph transports given back) once its last request has ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from router.server.contract import GraphQLRequest, Outcome, Pipeline

logger = logging.getLogger("fedtasks.router")

Close = Callable[[], Coroutine[Any, Any, None]]


@dataclass(eq=False)
class _Generation:
    """One pipeline, how to close it, and how many requests are running on it."""

    pipeline: Pipeline
    close: Close
    label: str
    in_flight: int = 0


class PipelineHolder:
    """A Pipeline that runs each request on the pipeline live when it arrived."""

    def __init__(self, pipeline: Pipeline, close: Close, *, label: str = "") -> None:
        self._live = _Generation(pipeline, close, label)
        self._draining: set[_Generation] = set()
        self._closing: set[asyncio.Task[None]] = set()

    @property
    def pipeline(self) -> Pipeline:
        """The live pipeline."""
        return self._live.pipeline

    @property
    def label(self) -> str:
        """The live pipeline's label (the supergraph hash, for ``fedtasks router``)."""
        return self._live.label

    def draining(self) -> int:
        """How many replaced pipelines still have requests running."""
        return len(self._draining)

    async def execute(self, request: GraphQLRequest) -> Outcome:
        """Run ``request`` on the live pipeline, to the end even if it is replaced meanwhile."""
        async with self._using() as pipeline:
            return await pipeline.execute(request)

    async def ready(self) -> bool:
        """Whether the live pipeline can serve."""
        async with self._using() as pipeline:
            return await pipeline.ready()

    async def subgraph_health(self) -> dict[str, bool]:
        """Whether each subgraph of the live pipeline answers."""
        async with self._using() as pipeline:
            return await pipeline.subgraph_health()

    async def swap(self, pipeline: Pipeline, close: Close, *, label: str = "") -> None:
        """Make ``pipeline`` the live one; the old one closes when its requests are done."""
        old, self._live = self._live, _Generation(pipeline, close, label)
        if old.in_flight == 0:
            await old.close()
        else:
            self._draining.add(old)

    async def aclose(self) -> None:
        """Close every pipeline, the live one and any still draining (the server stops)."""
        generations = [self._live, *self._draining]
        self._draining.clear()
        await asyncio.gather(*(generation.close() for generation in generations))
        await asyncio.gather(*self._closing)

    @asynccontextmanager
    async def _using(self) -> AsyncIterator[Pipeline]:
        generation = self._live
        generation.in_flight += 1
        try:
            yield generation.pipeline
        finally:
            generation.in_flight -= 1
            if generation.in_flight == 0 and generation in self._draining:
                self._draining.discard(generation)
                self._retire(generation)

    def _retire(self, generation: _Generation) -> None:
        # Closed in a task of its own: the request that was last must not wait for it.
        task = asyncio.create_task(generation.close())
        self._closing.add(task)
        task.add_done_callback(self._closed)

    def _closed(self, task: asyncio.Task[None]) -> None:
        self._closing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("closing a replaced pipeline failed", exc_info=task.exception())
