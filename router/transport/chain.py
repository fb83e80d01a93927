"""The transport of one subgraph at one URL, as ``fedtasks router`` composes it.

Outermost first: the circuit breaker (refuses at once while the subgraph is failing),
retries with back-off (queries only), then HTTP with the subgraph's own timeout. The
breaker sits outside the retries so that it sees one outcome per call, after its retries,
and so that an open circuit costs no retry either.
"""

from __future__ import annotations

from router.transport.base import SubgraphTransport
from router.transport.breaker import Breakers
from router.transport.breaker_transport import BreakerTransport
from router.transport.http import HttpTransport
from router.transport.metrics import ResilienceMetrics
from router.transport.retry import RetryingTransport
from router.transport.settings import TransportSettings


def resilient_transport(
    subgraph: str,
    url: str,
    *,
    settings: TransportSettings,
    breakers: Breakers,
    metrics: ResilienceMetrics | None = None,
) -> SubgraphTransport:
    """The breaker, retry and HTTP chain of ``subgraph`` at ``url``; its circuit starts closed."""
    transport: SubgraphTransport = HttpTransport(
        {subgraph: url}, timeout=settings.timeout_for(subgraph)
    )
    if settings.retry.retries > 0:
        transport = RetryingTransport(
            transport,
            settings.retry,
            on_retry=metrics.count_retry if metrics is not None else None,
        )
    if settings.breaker.enabled:
        breakers.reset(subgraph)
        transport = BreakerTransport(transport, breakers)
    return transport
