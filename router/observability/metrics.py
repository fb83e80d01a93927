"""The router's own Prometheus metrics: client requests, subgraph fetches, plan caches.

They go in the registry the router serves on ``/metrics`` (the cache's metrics are
already there; the entity cache's hits are :mod:`router.cache.entity_metrics`). Label
values are bounded: an operation is named only once it validated, and only the first
``max_operations`` names get a series of their own.
"""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter, Histogram

UNKNOWN = "unknown"
"""The operation label of a request whose operation did not validate."""
ANONYMOUS = "anonymous"
"""The operation label of a validated operation without a name."""
BATCH = "batch"
"""The operation label of a batched POST (several operations in one request)."""
OTHER = "other"
"""The operation label once ``max_operations`` names have their series, or an odd code."""

# Subgraph error codes come from outside: only code-like strings become label values.
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
_MAX_NAME = 100

# Latency buckets from 5 ms to 10 s: federated queries are a few subgraph round trips.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RouterMetrics:
    """Counters and histograms of the router's requests and its subgraph calls."""

    def __init__(self, registry: CollectorRegistry, *, max_operations: int = 100) -> None:
        self.max_operations = max_operations
        self._operations: set[str] = set()
        self.requests = Counter(
            "fedtasks_router_requests",
            "GraphQL requests, by operation name and outcome (success, graphql_error,"
            " request_error, rate_limited, internal_error).",
            ["operation", "outcome"],
            registry=registry,
        )
        self.duration = Histogram(
            "fedtasks_router_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name.",
            ["operation"],
            buckets=_BUCKETS,
            registry=registry,
        )
        self.fetch_duration = Histogram(
            "fedtasks_router_subgraph_request_duration_seconds",
            "Time of one subgraph call, by subgraph.",
            ["subgraph"],
            buckets=_BUCKETS,
            registry=registry,
        )
        self.fetch_errors = Counter(
            "fedtasks_router_subgraph_errors",
            "Subgraph calls that failed (transport codes) and GraphQL errors subgraphs"
            " returned, by subgraph and code.",
            ["subgraph", "code"],
            registry=registry,
        )
        self.plan_hits = Counter(
            "fedtasks_router_plan_cache_hits",
            "Query plans found in a cache: process (this router's) or shared (the backend).",
            ["cache"],
            registry=registry,
        )
        self.plan_misses = Counter(
            "fedtasks_router_plan_cache_misses",
            "Query plans not found in a cache: process or shared.",
            ["cache"],
            registry=registry,
        )

    def operation_label(self, name: str | None, *, validated: bool) -> str:
        """The ``operation`` label of a request, bounded in length and in count."""
        if not validated:
            return UNKNOWN
        if name is None:
            return ANONYMOUS
        if name in self._operations:
            return name
        if len(name) > _MAX_NAME:
            return OTHER
        if len(self._operations) >= self.max_operations:
            return OTHER
        self._operations.add(name)
        return name

    def observe_request(self, operation: str, outcome: str, seconds: float) -> None:
        """Record one answered GraphQL request."""
        self.requests.labels(operation, outcome).inc()
        self.duration.labels(operation).observe(seconds)

    def observe_fetch(self, subgraph: str, seconds: float) -> None:
        """Record one subgraph call's duration."""
        self.fetch_duration.labels(subgraph).observe(seconds)

    def count_fetch_error(self, subgraph: str, code: object) -> None:
        """Record one failed call or one GraphQL error from ``subgraph``."""
        label = code if isinstance(code, str) and _CODE.fullmatch(code) else OTHER
        self.fetch_errors.labels(subgraph, label).inc()

    def plan_cache(self, cache: str, *, hit: bool) -> None:
        """Record a plan lookup in ``cache`` ("process" or "shared")."""
        (self.plan_hits if hit else self.plan_misses).labels(cache).inc()
