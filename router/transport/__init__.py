"""How the router talks to subgraphs: one small protocol, HTTP and in-process implementations.

Wrappers add what production needs, each in its own module: ``DedupingTransport`` shares
identical queries in flight, ``BreakerTransport`` stops calling a failing subgraph,
``RetryingTransport`` sends failed queries again with back-off, and ``SubgraphClients``
shares one transport per subgraph URL across supergraph reloads (``resilient_transport``
builds that transport: breaker, retries, HTTP).
"""

from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)
from router.transport.breaker import Breakers, CircuitBreaker, CircuitState
from router.transport.breaker_transport import BreakerTransport
from router.transport.chain import resilient_transport
from router.transport.clients import LeasedTransport, SubgraphClients
from router.transport.dedupe import DedupingTransport
from router.transport.http import HttpTransport
from router.transport.in_process import InProcessTransport
from router.transport.metrics import ResilienceMetrics
from router.transport.retry import RetryingTransport
from router.transport.settings import BreakerSettings, RetrySettings, TransportSettings

__all__ = [
    "BreakerSettings",
    "BreakerTransport",
    "Breakers",
    "CircuitBreaker",
    "CircuitState",
    "DedupingTransport",
    "HttpTransport",
    "InProcessTransport",
    "LeasedTransport",
    "ResilienceMetrics",
    "RetrySettings",
    "RetryingTransport",
    "SubgraphClients",
    "SubgraphRequest",
    "SubgraphResponse",
    "SubgraphTransport",
    "TransportError",
    "TransportSettings",
    "resilient_transport",
]
