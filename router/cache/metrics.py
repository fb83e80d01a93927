"""Prometheus metrics of the cache backend: errors, calls skipped during an outage, and up.

The router has no process-wide registry: like the subgraphs' ServiceMetrics, each
CacheMetrics gets its own registry unless one is passed in, so two routers (or two tests)
in one process never share counters. The server exposes whichever registry it builds.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

__all__ = ["CacheMetrics"]


class CacheMetrics:
    """Counters labelled by backend operation (get, set, delete, index, invalidate, clear)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.errors = Counter(
            "fedtasks_cache_errors",
            "Cache backend operations that failed (unreachable, timed out, refused).",
            ["operation"],
            registry=self.registry,
        )
        self.skipped = Counter(
            "fedtasks_cache_skipped",
            "Cache backend operations not attempted because the backend was down.",
            ["operation"],
            registry=self.registry,
        )
        self.up = Gauge(
            "fedtasks_cache_backend_up",
            "1 while the cache backend answers, 0 during an outage.",
            registry=self.registry,
        )
        self.up.set(1)
