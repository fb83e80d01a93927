"""OpenTelemetry tracing: a tracer that exports over OTLP/HTTP, only when one is configured.

With ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) set, the
router gets its own TracerProvider (service name from ``OTEL_SERVICE_NAME``, default
``fedtasks-router``) with a batching OTLP/HTTP exporter; spans leave from a background
thread, never on the request path. Unset, there is no provider and no exporter: the
request record carries no tracer and every span hook is a ``nullcontext``.

The provider is the router's, not the process-wide one, so two routers (or two tests) in
one process never share spans.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from opentelemetry.context import Context
from opentelemetry.trace import Span, Status, StatusCode, Tracer, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from router.observability.context import current

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

DEFAULT_SERVICE_NAME = "fedtasks-router"
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")

PROPAGATOR = TraceContextTextMapPropagator()
"""W3C Trace Context (``traceparent``, ``tracestate``): read from clients, sent to subgraphs."""

TRACE_HEADERS = ("traceparent", "tracestate")


def client_context(headers: Mapping[str, str]) -> Context | None:
    """The trace context a client sent, if it sent a valid ``traceparent``.

    The propagator checks both headers against the W3C format (a malformed traceparent
    gives no context; malformed tracestate entries are dropped), so only well-formed
    values ever reach a subgraph.
    """
    if "traceparent" not in headers:
        return None
    context = PROPAGATOR.extract({name: headers[name] for name in TRACE_HEADERS if name in headers})
    return context if get_current_span(context).get_span_context().is_valid else None


class Tracing:
    """The router's tracer and the provider that owns its exporter."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self.tracer: Tracer = provider.get_tracer("fedtasks.router")

    def force_flush(self) -> bool:
        """Export every finished span now (blocking); whether it worked."""
        return self.provider.force_flush()

    async def aclose(self) -> None:
        """Export what is left and stop the exporter's thread."""
        await asyncio.to_thread(self.provider.shutdown)


def tracing_from_env(environ: Mapping[str, str]) -> Tracing | None:
    """Tracing to the OTLP endpoint the environment names; None when it names none."""
    if not any(environ.get(name) for name in ENDPOINT_VARIABLES):
        return None
    # Imported here: a router that does not export never loads the exporter (nor requests
    # and protobuf under it).
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    service = environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service}), shutdown_on_exit=False
    )
    # Headers, timeout and compression: the exporter reads OTEL_EXPORTER_OTLP_* itself.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(traces_endpoint(environ))))
    return Tracing(provider)


def traces_endpoint(environ: Mapping[str, str]) -> str:
    """Where spans go: the traces URL, or the base URL with ``/v1/traces`` (OTLP spec)."""
    traces = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if traces:
        return traces
    return environ["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/") + "/v1/traces"


def stage(name: str, **attributes: Any) -> AbstractContextManager[Span | None]:
    """A span for one stage of the current request (parse, validate, plan), if traced."""
    record = current()
    if record is None or record.tracer is None:
        return nullcontext()
    return record.tracer.start_as_current_span(name, attributes=attributes)


def mark_error(span: Span, description: str) -> None:
    """Set ``span``'s status to ERROR with ``description``."""
    span.set_status(Status(StatusCode.ERROR, description))
