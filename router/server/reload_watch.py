"""Watch the supergraph file and swap in a pipeline for each new, valid version of it.

``fedtasks router`` polls the file every ``FEDTASKS_SUPERGRAPH_POLL_SECONDS``. A version
that differs from the live one is read, loaded and turned into a pipeline away from the
request path; only then is it swapped in (:class:`~router.server.reload.PipelineHolder`).
A version that cannot be served (unreadable, not a supergraph, invalid SDL, a feature the
router does not implement) is refused with one error log; the live supergraph keeps
serving, and the refused version is not tried again until the file changes once more.
``fedtasks_supergraph_info{hash}`` names the live version, and
``fedtasks_supergraph_reloads_total{outcome}`` counts reloads and refusals.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge

from router.server.contract import Pipeline
from router.server.reload import Close, PipelineHolder
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph

logger = logging.getLogger("fedtasks.router")

# A supergraph -> its pipeline and how to close that pipeline.
Build = Callable[[Supergraph], tuple[Pipeline, Close]]
Outcome = Literal["unchanged", "reloaded", "refused"]


class ReloadMetrics:
    """Which supergraph is live, and how reloads went."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.info = Gauge(
            "fedtasks_supergraph_info",
            "The supergraph being served (1 for its SHA-256 hash).",
            ["hash"],
            registry=registry,
        )
        self.reloads = Counter(
            "fedtasks_supergraph_reloads_total",
            "Supergraph file changes: reloaded (now live) or refused (the old one kept).",
            ["outcome"],
            registry=registry,
        )
        self._live: str | None = None

    def live(self, supergraph_hash: str) -> None:
        """``supergraph_hash`` is now served."""
        if self._live is not None:
            self.info.remove(self._live)
        self.info.labels(hash=supergraph_hash).set(1)
        self._live = supergraph_hash


class SupergraphWatcher:
    """Compares the file with the live supergraph and reloads it when it changed."""

    def __init__(
        self,
        path: Path,
        holder: PipelineHolder,
        build: Build,
        *,
        live_hash: str,
        metrics: ReloadMetrics,
    ) -> None:
        self.path = path
        self.holder = holder
        self.build = build
        self.live_hash = live_hash
        self.metrics = metrics
        # The version last refused (its hash, or why the file could not be read).
        self._refused: str | None = None
        metrics.live(live_hash)

    async def run(self, poll_seconds: float) -> None:
        """Check the file every ``poll_seconds`` until cancelled."""
        logger.info(
            "serving supergraph %s (%s); checking it for changes every %gs",
            self.path,
            self.live_hash,
            poll_seconds,
        )
        while True:
            await asyncio.sleep(poll_seconds)
            await self.check()

    async def check(self) -> Outcome:
        """Look at the file once; reload it, refuse it, or find nothing new."""
        try:
            sdl = await asyncio.to_thread(self.path.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
            return self._refuse(f"unreadable: {reason}", f"cannot read it: {reason}")
        version = hashlib.sha256(sdl.encode()).hexdigest()
        if version == self.live_hash:
            self._refused = None
            return "unchanged"
        if version == self._refused:
            return "unchanged"
        try:
            # Loading builds the API schema and the planner's model: CPU work kept off the
            # event loop, so requests keep being served meanwhile.
            supergraph = await asyncio.to_thread(read_supergraph, sdl)
            pipeline, close = self.build(supergraph)
        except Exception as error:  # noqa: BLE001 - a bad file must never stop the router
            return self._refuse(version, str(error))
        await self.holder.swap(pipeline, close, label=version)
        logger.info(
            "supergraph %s reloaded: serving %s (was %s)", self.path, version, self.live_hash
        )
        self.live_hash = version
        self._refused = None
        self.metrics.live(version)
        self.metrics.reloads.labels(outcome="reloaded").inc()
        return "reloaded"

    def _refuse(self, version: str, reason: str) -> Outcome:
        if version == self._refused:
            return "unchanged"
        self._refused = version
        logger.error(
            "supergraph %s refused, still serving %s: %s", self.path, self.live_hash, reason
        )
        self.metrics.reloads.labels(outcome="refused").inc()
        return "refused"
