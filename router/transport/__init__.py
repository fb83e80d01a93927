"""How the router talks to subgraphs: one small protocol, HTTP and in-process implementations."""

from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)
from router.transport.http import HttpTransport
from router.transport.in_process import InProcessTransport

__all__ = [
    "HttpTransport",
    "InProcessTransport",
    "SubgraphRequest",
    "SubgraphResponse",
    "SubgraphTransport",
    "TransportError",
]
