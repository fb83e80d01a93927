"""A subgraph continues the router's trace: a SERVER span per GraphQL request.

Spans are exported over OTLP/HTTP only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set. The
router sends each call with the W3C ``traceparent`` of its fetch span; the subgraph's span
is that span's child, so one trace shows the client's request, the router's stages and the
subgraphs' work. Unset, no provider, exporter or middleware is made at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_PROPAGATOR = TraceContextTextMapPropagator()


class Tracing:
    """A subgraph's tracer and the provider that owns its exporter."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self.tracer: Tracer = provider.get_tracer("fedtasks.subgraph")

    async def aclose(self) -> None:
        """Export what is left and stop the exporter's thread."""
        await asyncio.to_thread(self.provider.shutdown)


def tracing_from_env(service: str, environ: Mapping[str, str]) -> Tracing | None:
    """Tracing to the configured OTLP endpoint; None when no endpoint is configured.

    The spans' service is ``OTEL_SERVICE_NAME``, or ``fedtasks-<service>``.
    """
    if not any(environ.get(name) for name in ENDPOINT_VARIABLES):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = environ.get("OTEL_SERVICE_NAME") or f"fedtasks-{service}"
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: name}), shutdown_on_exit=False
    )
    traces = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or (
        environ["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/") + "/v1/traces"
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(traces)))
    return Tracing(provider)


class TracingMiddleware:
    """A SERVER span around each traced request to ``/graphql``, continuing its trace.

    Only requests that carry a ``traceparent`` are traced: the router's fetches do, its
    readiness pings (every few seconds) do not.
    """

    def __init__(self, app: ASGIApp, *, tracer: Tracer) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its span."""
        if scope["type"] != "http" or scope["path"] != "/graphql":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        parent = _PROPAGATOR.extract(
            {name: headers[name] for name in ("traceparent", "tracestate") if name in headers}
        )
        if not get_current_span(parent).get_span_context().is_valid:
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with self.tracer.start_as_current_span(
            f"{scope['method']} /graphql",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": "/graphql"},
        ) as span:
            try:
                await self.app(scope, receive, send_status)
            finally:
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR, f"HTTP {status}"))
