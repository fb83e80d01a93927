"""Subgraph health, apart from readiness: ``/health/subgraphs`` and ``fedtasks_subgraph_up``.

Readiness says whether this router can serve (router/pipeline.py); whether each subgraph
answers is reported here instead, for dashboards and alerts. Other routers keep the two
apart the same way: Apollo's router and Hive's report ready once their schema is loaded.
Each check sends every subgraph ``{ __typename }`` past the cache (the pipeline's probe);
the gauge holds the last check's answer, refreshed every ``period`` seconds in the
background and by each request to ``/health/subgraphs``.
"""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import CollectorRegistry, Gauge

from router.server.contract import Pipeline

logger = logging.getLogger("fedtasks.router")


class SubgraphHealth:
    """Checks the live pipeline's subgraphs and keeps ``fedtasks_subgraph_up{subgraph}``."""

    def __init__(self, pipeline: Pipeline, registry: CollectorRegistry) -> None:
        self.pipeline = pipeline
        self.up = Gauge(
            "fedtasks_subgraph_up",
            "1 if the subgraph answered the router's last health check, else 0",
            ["subgraph"],
            registry=registry,
        )
        self._known: set[str] = set()

    async def check(self) -> dict[str, bool]:
        """Ask every subgraph now; set the gauge (dropping subgraphs a reload removed)."""
        health = await self.pipeline.subgraph_health()
        for name in self._known - health.keys():
            self.up.remove(name)
        for name, up in health.items():
            self.up.labels(name).set(1 if up else 0)
        self._known = set(health)
        return health

    async def run(self, period: float) -> None:
        """Check every ``period`` seconds until cancelled; a failed check is logged, not fatal."""
        while True:
            try:
                await self.check()
            except Exception:  # a health check must never stop the router
                logger.exception("the subgraph health check failed")
            await asyncio.sleep(period)
