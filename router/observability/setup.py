"""One object that holds the router's observability and wires it into the app."""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry
from starlette.middleware import Middleware

from router.observability.metrics import RouterMetrics
from router.observability.middleware import ObservabilityMiddleware
from router.observability.tracing import Tracing, tracing_from_env
from router.observability.transport import ObservedTransport
from router.transport.base import SubgraphTransport


class Observability:
    """The router's metrics and (when configured) tracing, and the pieces that use them.

    ``fedtasks router`` builds it from the environment (:meth:`from_env`); a test builds
    it with a tracing of its own.
    """

    def __init__(self, metrics: RouterMetrics, tracing: Tracing | None = None) -> None:
        self.metrics = metrics
        self.tracing = tracing

    @classmethod
    def from_env(cls, registry: CollectorRegistry, environ: Mapping[str, str]) -> Observability:
        """Metrics in ``registry``; tracing when an OTLP endpoint is configured."""
        return cls(RouterMetrics(registry), tracing_from_env(environ))

    def middleware(self) -> Middleware:
        """The outermost middleware: request id, request metrics, access log, request span."""
        return Middleware(ObservabilityMiddleware, metrics=self.metrics, tracing=self.tracing)

    def transport(self, inner: SubgraphTransport) -> ObservedTransport:
        """``inner`` with request id and trace context sent, fetch spans and metrics."""
        return ObservedTransport(inner, metrics=self.metrics)

    async def aclose(self) -> None:
        """Export the spans left and stop the exporter (when tracing)."""
        if self.tracing is not None:
            await self.tracing.aclose()
