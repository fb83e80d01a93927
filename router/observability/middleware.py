"""The outermost router middleware: request id, request metrics, access log, request span.

For every HTTP request it takes the client's ``x-request-id`` when sane (else makes one),
opens the :class:`~router.observability.context.RequestRecord` the layers below write to,
returns the id in the response's ``x-request-id``, and, once answered, writes one access
log line. Requests to the GraphQL endpoint also get a SERVER span (continuing the client's
``traceparent``) when the router traces, and are counted by operation and outcome.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.trace import Span, SpanKind
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from router.observability.context import RequestRecord, enter, leave
from router.observability.metrics import BATCH, RouterMetrics
from router.observability.request_id import REQUEST_ID_HEADER, request_id_for
from router.observability.tracing import Tracing, client_context, mark_error

access_log = logging.getLogger("fedtasks.router.access")

# Probed every few seconds by orchestrators and scrapers: logged at debug level only.
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})


class ObservabilityMiddleware:
    """Opens each request's record, names the request, and observes its answer.

    Plain ASGI middleware (not BaseHTTPMiddleware), so the endpoint runs in the same
    context and sees the record's context variable.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: RouterMetrics | None = None,
        tracing: Tracing | None = None,
        graphql_path: str = "/graphql",
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.tracing = tracing
        self.graphql_path = graphql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request under its record."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        record = RequestRecord(
            request_id=request_id_for(headers.get(REQUEST_ID_HEADER)),
            metrics=self.metrics,
            client_context=client_context(headers),
        )
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = record.request_id
            await send(message)

        token = enter(record)
        try:
            with self._span(scope, record) as span:
                try:
                    await self.app(scope, receive, send_with_id)
                finally:
                    if span is not None:
                        span.set_attribute("http.response.status_code", status)
                        if status >= 500:
                            mark_error(span, f"HTTP {status}")
        finally:
            self._observe(scope, record, status, time.perf_counter() - started)
            leave(token)

    @contextmanager
    def _span(self, scope: Scope, record: RequestRecord) -> Iterator[Span | None]:
        """A SERVER span continuing the client's trace, for a GraphQL request when tracing."""
        if self.tracing is None or scope["path"] != self.graphql_path:
            yield None
            return
        method = scope["method"]
        with self.tracing.tracer.start_as_current_span(
            f"{method} {scope['path']}",
            context=record.client_context,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": scope["path"],
                "fedtasks.request_id": record.request_id,
            },
        ) as span:
            record.tracer = self.tracing.tracer
            record.span = span
            try:
                yield span
            finally:
                record.tracer = None
                record.span = None

    def _observe(self, scope: Scope, record: RequestRecord, status: int, seconds: float) -> None:
        """Count a GraphQL request and write the access log line."""
        path = scope["path"]
        outcome = _outcome(record, status) if path == self.graphql_path else None
        if self.metrics is not None and outcome is not None:
            operation = (
                BATCH
                if record.answers > 1
                else self.metrics.operation_label(record.operation_name, validated=record.validated)
            )
            self.metrics.observe_request(operation, outcome, seconds)
        access_log.log(
            logging.DEBUG if path in QUIET_PATHS else logging.INFO,
            "%s %s %d",
            scope["method"],
            path,
            status,
            extra={
                "method": scope["method"],
                "path": path,
                "status": status,
                "duration_seconds": round(seconds, 6),
                "operation": record.operation_name,
                "outcome": outcome,
            },
        )


def _outcome(record: RequestRecord, status: int) -> str | None:
    """How a request to the GraphQL endpoint ended; None if it was not a GraphQL request.

    The endpoint notes the pipeline's answers. An answer it did not note came from the
    server itself or a middleware under this one: an error status is a refusal before the
    pipeline (malformed request, authentication, limits) or an internal error; a success
    status is the GraphiQL page or a CORS preflight, which are not GraphQL requests.
    """
    if record.outcome is not None:
        return record.outcome
    if status >= 500:
        return "internal_error"
    if status == 429:
        return "rate_limited"
    if status >= 400:
        return "request_error"
    return None
