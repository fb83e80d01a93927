"""Prometheus metrics of one service: SQL statements, requests and their latency.

Each app gets its own registry, so two services (or two test apps) in one process never
share counters.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST as PROMETHEUS_CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

__all__ = ["PROMETHEUS_CONTENT_TYPE", "ServiceMetrics"]


class ServiceMetrics:
    """The counters and histograms one subgraph process exposes on ``/metrics``."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self._statements = Counter(
            "fedtasks_db_statements",
            "SQL statements sent to the database.",
            ["service"],
            registry=self.registry,
        ).labels(service=service)
        self.requests = Counter(
            "fedtasks_http_requests",
            "HTTP requests served.",
            ["service", "method", "path", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "fedtasks_http_request_duration_seconds",
            "Time to serve an HTTP request.",
            ["service", "method", "path"],
            registry=self.registry,
        )

    def count_statement(self) -> None:
        """Record one SQL statement (hooked to the engine)."""
        self._statements.inc()

    @property
    def statements(self) -> int:
        """SQL statements counted so far."""
        return int(self._statements._value.get())

    def observe_request(self, *, method: str, path: str, status: int, seconds: float) -> None:
        """Record one served HTTP request."""
        self.requests.labels(self.service, method, path, str(status)).inc()
        self.latency.labels(self.service, method, path).observe(seconds)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)
