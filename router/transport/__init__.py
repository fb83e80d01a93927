"""How the router talks to subgraphs: one small protocol, HTTP and in-process implementations.

``DedupingTransport`` wraps either to share identical queries in flight.
"""

from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)
from router.transport.dedupe import DedupingTransport
from router.transport.http import HttpTransport
from router.transport.in_process import InProcessTransport

__all__ = [
    "DedupingTransport",
    "HttpTransport",
    "InProcessTransport",
    "SubgraphRequest",
    "SubgraphResponse",
    "SubgraphTransport",
    "TransportError",
]
