"""The FastAPI app factory both subgraphs use.

Routes: ``/graphql`` (POST runs operations, GET in a browser serves GraphiQL from the
npm-installed assets of ``fedtasks_graphiql``, so it works offline), ``/health`` (the
process is alive), ``/ready`` (the database answers), ``/metrics`` (Prometheus text).
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import strawberry
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter

from fedtasks_graphiql import ASSETS_PATH, assets_app, graphiql_response
from subgraphs.common.caller import caller_from
from subgraphs.common.context import RequestContext
from subgraphs.common.database import create_engine, create_sessionmaker, ping
from subgraphs.common.logging import RequestLogMiddleware
from subgraphs.common.metrics import PROMETHEUS_CONTENT_TYPE, ServiceMetrics
from subgraphs.common.router_secret import RouterSecretMiddleware
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.tracing import TracingMiddleware, tracing_from_env

KNOWN_PATHS = frozenset({"/graphql", "/health", "/ready", "/metrics"})


class MetricsMiddleware:
    """Count requests and time them, labelled by method, known path and status."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request and record it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
            self.metrics.observe_request(
                method=scope["method"],
                path=path,
                status=status,
                seconds=time.perf_counter() - started,
            )


class OfflineGraphQLRouter(GraphQLRouter[Any, None]):
    """Strawberry's router, serving GraphiQL from local assets instead of a CDN."""

    def __init__(self, *args: Any, title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = title

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """The GraphiQL page, wired to this endpoint (503 if its assets are missing)."""
        return graphiql_response(request.url.path, title=self.title)


def create_app(
    *,
    service: str,
    schema: strawberry.Schema,
    settings: ServiceSettings,
    context: Callable[[async_sessionmaker[AsyncSession]], RequestContext],
) -> FastAPI:
    """Build the ASGI app of one subgraph on the database ``settings`` names.

    ``context`` builds a fresh request context (DataLoaders over the session factory)
    for every GraphQL request. The engine is disposed when the app shuts down; the
    metrics are on ``app.state.metrics``. With ``settings.subgraph_secret``, ``/graphql``
    answers only requests carrying it; production mode (not ``settings.dev``) requires one
    (ValueError without) and turns introspection off.
    """
    if not settings.dev and not settings.subgraph_secret:
        raise ValueError(
            "FEDTASKS_SUBGRAPH_SECRET is not set: in production mode a subgraph answers the "
            "router only (set the router's shared secret, or run in dev mode: --dev or "
            "FEDTASKS_DEV=true)"
        )
    metrics = ServiceMetrics(service)
    engine = create_engine(
        settings.database_url,
        on_statement=metrics.count_statement,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        timeout_seconds=settings.db_timeout_seconds,
    )
    sessions = create_sessionmaker(engine)

    async def request_context(request: Request) -> RequestContext:
        built = context(sessions)
        built.caller = caller_from(request.headers)
        built.introspection = settings.dev
        return built

    tracing = tracing_from_env(service, os.environ)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()
        if tracing is not None:
            await tracing.aclose()

    # No /docs, /redoc or /openapi.json: a subgraph's API is GraphQL, and those pages
    # would describe the app to anyone, without the router's secret.
    app = FastAPI(
        title=f"fedtasks {service} subgraph",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    graphql = OfflineGraphQLRouter(
        schema,
        context_getter=request_context,
        title=f"fedtasks {service} subgraph",
    )
    app.include_router(graphql, prefix="/graphql")
    app.mount(ASSETS_PATH, assets_app(), name="graphiql-assets")

    @app.get("/health")
    async def health() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok", "service": service}

    @app.get("/ready")
    async def ready() -> JSONResponse:
        """The database answers; 503 when it does not."""
        if await ping(engine):
            return JSONResponse({"status": "ready", "service": service})
        return JSONResponse(
            {"status": "unavailable", "service": service, "reason": "database unreachable"},
            status_code=503,
        )

    @app.get("/metrics")
    async def prometheus() -> Response:
        """Prometheus text exposition."""
        return Response(metrics.render(), media_type=PROMETHEUS_CONTENT_TYPE)

    if settings.subgraph_secret:
        # Innermost: refusals are counted and logged like any other request.
        app.add_middleware(RouterSecretMiddleware, secret=settings.subgraph_secret)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    if tracing is not None:
        # The router's trace continued (OTEL_EXPORTER_OTLP_ENDPOINT set).
        app.add_middleware(TracingMiddleware, tracer=tracing.tracer)
    # Outermost: the request id is set before anything below logs.
    app.add_middleware(RequestLogMiddleware, service=service)
    app.state.metrics = metrics
    app.state.engine = engine
    app.state.tracing = tracing
    return app
