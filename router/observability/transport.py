"""A transport wrapper that makes each subgraph call observable.

It sits right under the in-flight dedupe (whose key must not see per-request headers) and
adds, to every call made for a client request: the request's ``x-request-id``, the W3C
trace context (the fetch span's when the router traces, else the client's as sent), a
CLIENT span ``fetch <subgraph>`` with errors recorded, and the fetch's latency and errors
in the router's metrics.
"""

from __future__ import annotations

import time
from dataclasses import replace

from opentelemetry.trace import SpanKind

from router.observability.context import current
from router.observability.metrics import RouterMetrics
from router.observability.request_id import REQUEST_ID_HEADER
from router.observability.tracing import PROPAGATOR, TRACE_HEADERS, mark_error
from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)

# GraphQL errors a subgraph returns without a code count under the router's default one.
DOWNSTREAM = "DOWNSTREAM_SERVICE_ERROR"
# At most this many GraphQL errors of one answer become span events.
_EVENTS = 10


class ObservedTransport:
    """Wraps a transport: request id and trace context out, spans and metrics in."""

    def __init__(self, inner: SubgraphTransport, *, metrics: RouterMetrics | None = None) -> None:
        self.inner = inner
        self.metrics = metrics

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send ``request``, observed; the answer or the TransportError is passed on as is."""
        record = current()
        if record is None:
            return await self._timed(subgraph, request)
        headers = dict(request.headers)
        headers[REQUEST_ID_HEADER] = record.request_id
        # Whatever trace headers came down with the request, the ones sent are checked.
        for name in TRACE_HEADERS:
            headers.pop(name, None)
        if record.tracer is None:
            if record.client_context is not None:
                PROPAGATOR.inject(headers, context=record.client_context)
            return await self._timed(subgraph, replace(request, headers=headers))
        kind = _kind(request.query)
        with record.tracer.start_as_current_span(
            f"fetch {subgraph}",
            kind=SpanKind.CLIENT,
            attributes={"fedtasks.subgraph": subgraph, "graphql.operation.type": kind},
        ) as span:
            # The subgraph's spans continue the trace under this one.
            PROPAGATOR.inject(headers)
            try:
                response = await self._timed(subgraph, replace(request, headers=headers))
            except TransportError as failure:
                span.set_attribute("fedtasks.error_code", failure.code)
                mark_error(span, f"{failure.code}: {failure.message}")
                raise
            span.set_attribute("http.response.status_code", response.status)
            if response.errors:
                for error in response.errors[:_EVENTS]:
                    span.add_event(
                        "graphql.error",
                        {"code": str(_code(error)), "message": str(error.get("message", ""))},
                    )
                mark_error(span, f"{len(response.errors)} GraphQL error(s)")
            return response

    async def _timed(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send, recording latency and errors in the metrics (when there are metrics)."""
        if self.metrics is None:
            return await self.inner.send(subgraph, request)
        started = time.perf_counter()
        try:
            response = await self.inner.send(subgraph, request)
        except TransportError as failure:
            self.metrics.count_fetch_error(subgraph, failure.code)
            raise
        finally:
            self.metrics.observe_fetch(subgraph, time.perf_counter() - started)
        for error in response.errors:
            self.metrics.count_fetch_error(subgraph, _code(error))
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


def _kind(query: str) -> str:
    """The operation kind (query or mutation), from the operation the planner printed."""
    return "mutation" if query.lstrip().startswith("mutation") else "query"


def _code(error: dict[str, object]) -> object:
    extensions = error.get("extensions")
    if isinstance(extensions, dict):
        return extensions.get("code", DOWNSTREAM)
    return DOWNSTREAM
