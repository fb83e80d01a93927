"""Observability of the router: request ids, JSON logs, Prometheus metrics, tracing."""

from router.observability.context import current_request_id
from router.observability.metrics import RouterMetrics
from router.observability.middleware import ObservabilityMiddleware
from router.observability.setup import Observability
from router.observability.tracing import Tracing, tracing_from_env
from router.observability.transport import ObservedTransport

__all__ = [
    "Observability",
    "ObservabilityMiddleware",
    "ObservedTransport",
    "RouterMetrics",
    "Tracing",
    "current_request_id",
    "tracing_from_env",
]
