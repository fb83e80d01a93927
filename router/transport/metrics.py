"""Prometheus metrics of subgraph calls' resilience: circuit states and retries.

``fedtasks_subgraph_circuit_state{subgraph}`` is read from the circuits when scraped
(0 closed, 1 half-open, 2 open), so an open circuit whose cool-down is over shows
half-open even before the next call; ``fedtasks_subgraph_retries_total{subgraph}`` counts
query fetches sent again after a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from router.transport.breaker import Breakers

CIRCUIT_STATE = "fedtasks_subgraph_circuit_state"


class CircuitStateCollector(Collector):
    """The state gauge of every known circuit, computed at scrape time."""

    def __init__(self, breakers: Breakers) -> None:
        self.breakers = breakers

    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(
            CIRCUIT_STATE,
            "Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open.",
            labels=["subgraph"],
        )

    def describe(self) -> Iterator[Metric]:
        """The gauge's name and help, without reading the circuits."""
        yield self._family()

    def collect(self) -> Iterator[Metric]:
        """One sample per subgraph."""
        family = self._family()
        for name, state in sorted(self.breakers.states().items()):
            family.add_metric([name], int(state))
        yield family


class ResilienceMetrics:
    """Registers the circuit gauge and the retry counter in ``registry``."""

    def __init__(self, registry: CollectorRegistry, breakers: Breakers) -> None:
        registry.register(CircuitStateCollector(breakers))
        self.retries = Counter(
            "fedtasks_subgraph_retries_total",
            "Query fetches sent again after a failure, per subgraph.",
            ["subgraph"],
            registry=registry,
        )

    def count_retry(self, subgraph: str) -> None:
        """One more retry of a call to ``subgraph``."""
        self.retries.labels(subgraph=subgraph).inc()
