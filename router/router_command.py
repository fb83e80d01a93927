"""``fedtasks router``: serve the supergraph over HTTP.

Subgraph URLs come from the supergraph's routing URLs; ``FEDTASKS_SUBGRAPH_URL_<NAME>``
(e.g. ``FEDTASKS_SUBGRAPH_URL_USERS``) overrides one for a deployment. Identical subgraph
queries in flight at the same time are sent once unless ``FEDTASKS_DEDUPE=false``.

Caching (router/cache): Redis when ``REDIS_URL`` is set, else in process. Entity and
root-field caching follows ``FEDTASKS_CACHE_CONFIG`` (TTLs; ``FEDTASKS_ENTITY_CACHE=off``
turns it off); plans are shared through the backend; APQ is on unless
``FEDTASKS_APQ=off``; ``FEDTASKS_SAFELIST=true`` runs only registered operations
(``fedtasks persisted register``, or a manifest in ``FEDTASKS_PERSISTED_QUERIES``).
``FEDTASKS_ADMIN_TOKEN`` enables ``POST /admin/cache/invalidate``. Metrics: ``/metrics``.

Resilience: each subgraph call has its subgraph's timeout (``FEDTASKS_SUBGRAPH_TIMEOUT``,
``FEDTASKS_SUBGRAPH_TIMEOUT_<NAME>``), failed queries are retried with back-off
(``FEDTASKS_RETRIES``), and a circuit breaker per subgraph (``FEDTASKS_BREAKER_*``) stops
calling one that keeps failing. The supergraph file is polled every
``FEDTASKS_SUPERGRAPH_POLL_SECONDS`` and a new valid version swapped in without dropping a
request; on SIGTERM requests in flight get ``FEDTASKS_SHUTDOWN_GRACE_SECONDS`` to finish.
``/ready`` says whether the router can serve, whatever the subgraphs do; whether each
subgraph answers is on ``/health/subgraphs`` and in ``fedtasks_subgraph_up``, checked
every ``FEDTASKS_SUBGRAPH_HEALTH_SECONDS``.

Limits and safety (router/server/safety_config.py): operation limits
(``FEDTASKS_MAX_DEPTH``, ``_ALIASES``, ``_ROOT_FIELDS``, ``_TOKENS``, ``_COST``), body size
and batch size (``FEDTASKS_MAX_BODY_BYTES``, ``FEDTASKS_MAX_BATCH``), introspection off
unless ``--dev`` or ``FEDTASKS_INTROSPECTION=on``, CORS for ``FEDTASKS_CORS_ORIGINS``,
CSRF prevention unless ``FEDTASKS_CSRF=off``, and a rate limit per caller with
``FEDTASKS_RATE_LIMIT`` (requests a minute) and ``FEDTASKS_RATE_LIMIT_BURST``.

Observability (router/observability): a request id per request (``x-request-id``), logs in
``LOG_FORMAT`` (json, or text in dev mode), request, fetch and plan-cache metrics, and
OpenTelemetry spans exported over OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set
(``OTEL_SERVICE_NAME``, default fedtasks-router).

Authentication (router/auth): ``Authorization: Bearer`` tokens on ``/graphql`` verified
with ``FEDTASKS_JWT_SECRET`` (HS256) or the keys of ``FEDTASKS_JWKS_FILE`` /
``FEDTASKS_JWKS_URL`` (RS256, ES256), issuer ``FEDTASKS_JWT_ISSUER``, audience
``FEDTASKS_JWT_AUDIENCE``; the verified identity and ``FEDTASKS_SUBGRAPH_SECRET`` go to
the subgraphs in headers only the router sets. In production the router refuses to start
without a token key or ``FEDTASKS_SUBGRAPH_SECRET``, unless ``FEDTASKS_ALLOW_NO_AUTH=true``.

``--workers N`` runs N worker processes, each building its own app: they share the cache,
plans and APQ only through Redis (``REDIS_URL``), and each answers ``/metrics`` with its
own counters.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings, require_secrets
from router.auth.verify import TokenVerifier
from router.cache.admin import ADMIN_PATH, admin_route
from router.cache.caching_transport import CachingTransport
from router.cache.config import CacheSettings, build_backend
from router.cache.entity_metrics import EntityCacheMetrics
from router.cache.metrics import CacheMetrics
from router.cache.persisted import PersistedQueries, read_manifest
from router.cache.plans import SharedPlans
from router.cache.policy import CachePolicy
from router.env_values import switch
from router.observability.logging import configure_logging, log_format
from router.observability.setup import Observability
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.server.cors import cors_middleware
from router.server.lifecycle import LifecycleSettings
from router.server.rate_limit import rate_limit_middleware
from router.server.reload import Close, PipelineHolder
from router.server.reload_watch import ReloadMetrics, SupergraphWatcher
from router.server.safety_config import SafetyConfig
from router.server.subgraph_health import SubgraphHealth
from router.supergraph.errors import SupergraphError
from router.supergraph.model import Supergraph
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphTransport
from router.transport.breaker import Breakers
from router.transport.chain import resilient_transport
from router.transport.clients import SubgraphClients
from router.transport.dedupe import DedupingTransport
from router.transport.metrics import ResilienceMetrics
from router.transport.settings import TransportSettings

DEFAULT_SUPERGRAPH = "schema/supergraph.graphql"


def subgraph_urls(urls: dict[str, str]) -> dict[str, str]:
    """The routing URLs, with ``FEDTASKS_SUBGRAPH_URL_<NAME>`` overrides applied."""
    return {
        name: os.environ.get(f"FEDTASKS_SUBGRAPH_URL_{name.upper()}", url)
        for name, url in urls.items()
    }


def _subgraph_clients(registry: CollectorRegistry) -> SubgraphClients:
    """Breaker -> retry -> HTTP transports per subgraph URL, configured from the environment."""
    settings = TransportSettings.from_env(os.environ)
    breakers = Breakers(settings.breaker)
    metrics = ResilienceMetrics(registry, breakers)
    return SubgraphClients(
        partial(resilient_transport, settings=settings, breakers=breakers, metrics=metrics)
    )


def build_router(supergraph_path: str, *, dev_mode: bool) -> Starlette:
    """The router app for the supergraph file (raises SupergraphError, OSError, ValueError)."""
    supergraph = read_supergraph(Path(supergraph_path).read_text(encoding="utf-8"))
    # Production refuses to start without its secrets (or FEDTASKS_ALLOW_NO_AUTH=true).
    auth = AuthSettings.from_env()
    require_secrets(auth, os.environ, dev_mode=dev_mode)
    verifier = TokenVerifier.from_settings(auth)
    registry = CollectorRegistry()
    observability = Observability.from_env(registry, os.environ)
    # Limits, introspection, CORS, CSRF, rate limiting (router/server/safety_config.py).
    safety = SafetyConfig.from_env(os.environ, dev_mode=dev_mode)
    cache_settings = CacheSettings.from_env(os.environ)
    backend = build_backend(cache_settings, metrics=CacheMetrics(registry))
    lifecycle = LifecycleSettings.from_env(os.environ)
    # Subgraph calls, outermost first: entity cache -> in-flight dedupe -> observability ->
    # circuit breaker -> retries -> HTTP. Observability (request id, trace context, fetch
    # spans and metrics) is under the dedupe, whose key must not see per-request headers.
    # The dedupe is above the breaker, so callers sharing one call count once; the breaker
    # is above the retries, so it sees one outcome per call and an open circuit costs no
    # retry. The cache and the dedupe belong to one supergraph (a reload makes new ones);
    # breaker, retries and HTTP pool belong to one subgraph URL and outlive reloads.
    clients = _subgraph_clients(registry)
    dedupe = switch(os.environ, "FEDTASKS_DEDUPE", True)
    policy = CachePolicy.from_env()
    entity_metrics = EntityCacheMetrics(registry)
    manifest_path = os.environ.get("FEDTASKS_PERSISTED_QUERIES")
    persisted = PersistedQueries(
        backend,
        safelist=switch(os.environ, "FEDTASKS_SAFELIST", False),
        manifest=read_manifest(Path(manifest_path)) if manifest_path else None,
        apq=switch(os.environ, "FEDTASKS_APQ", True),
    )
    shared_plans = SharedPlans(backend)
    subgraph_secret = os.environ.get("FEDTASKS_SUBGRAPH_SECRET") or None
    # The cache transport of each pipeline alive, by supergraph hash (the admin endpoint
    # invalidates through the live one's).
    caches: dict[str, CachingTransport] = {}

    def build(supergraph: Supergraph) -> tuple[RouterPipeline, Close]:
        """A pipeline over ``supergraph`` (at start and on each reload), and how to close it."""
        transport: SubgraphTransport = clients.lease(subgraph_urls(supergraph.urls))
        transport = observability.transport(transport)
        if dedupe:
            transport = DedupingTransport(transport)
        caching = CachingTransport(
            transport,
            backend,
            supergraph,
            policy=policy,
            metrics=entity_metrics,
            # Invalidations are confirmed by the backend itself, under its fail-open wrapper.
            direct=backend.inner,
            invalidation_wait=cache_settings.invalidation_wait,
        )
        caches[supergraph.hash] = caching
        pipeline = RouterPipeline(
            supergraph,
            caching,
            # /ready must reach the subgraphs, not the cache's answers for them.
            probe=transport,
            dev_mode=dev_mode,
            persisted=persisted,
            shared_plans=shared_plans,
            subgraph_secret=subgraph_secret,
            limits=safety.limits,
        )

        async def close_pipeline() -> None:
            if caches.get(supergraph.hash) is caching:
                del caches[supergraph.hash]
            await caching.aclose()

        return pipeline, close_pipeline

    # Requests run on the pipeline live when they arrived; a reload swaps in a new one.
    holder = PipelineHolder(*build(supergraph), label=supergraph.hash)
    watcher = SupergraphWatcher(
        Path(supergraph_path),
        holder,
        build,
        live_hash=supergraph.hash,
        metrics=ReloadMetrics(registry),
    )
    background: list[asyncio.Task[None]] = []
    rate_limiting = rate_limit_middleware(
        safety.rate_limit,
        safety.rate_limit_burst,
        redis_url=cache_settings.redis_url,
        namespace=cache_settings.namespace,
    )

    # Whether each subgraph answers: /health/subgraphs and fedtasks_subgraph_up, not /ready.
    subgraph_health = SubgraphHealth(holder, registry)

    async def start() -> None:
        if lifecycle.supergraph_poll_seconds > 0:
            task = asyncio.create_task(watcher.run(lifecycle.supergraph_poll_seconds))
            background.append(task)
        if lifecycle.subgraph_health_seconds > 0:
            task = asyncio.create_task(subgraph_health.run(lifecycle.subgraph_health_seconds))
            background.append(task)

    async def close() -> None:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await holder.aclose()
        await clients.aclose()
        await backend.aclose()
        await observability.aclose()
        await verifier.aclose()
        if rate_limiting is not None:
            await rate_limiting[1].aclose()

    # Outermost first: request id and request metrics (observability), CORS,
    # authentication (sets the verified identity), rate limiting (keys on it).
    middleware: list[Middleware] = []
    # Observability: request id, request metrics, access log, request span.
    middleware.append(observability.middleware())
    # CORS: headers for the origins in FEDTASKS_CORS_ORIGINS, and their preflights.
    if (cors := cors_middleware(safety.cors_origins)) is not None:
        middleware.append(cors)
    # Authentication: a bearer token verified (or 401), the identity put in the scope state.
    middleware.append(Middleware(AuthenticationMiddleware, verifier=verifier))
    # Rate limiting: a token bucket per identity (or IP), in Redis when REDIS_URL is set.
    if rate_limiting is not None:
        middleware.append(rate_limiting[0])
    app = create_router_app(
        holder,
        on_startup=start,
        on_shutdown=close,
        middleware=middleware,
        csrf_prevention=safety.csrf_prevention,
        max_body_bytes=safety.max_body_bytes,
        max_batch=safety.max_batch,
        subgraph_health=subgraph_health,
    )

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_route("/metrics", metrics, methods=["GET"])
    # For tests and operators' tooling: check the file now, see the open subgraph transports.
    app.state.supergraph_watcher = watcher
    app.state.subgraph_clients = clients
    token = os.environ.get("FEDTASKS_ADMIN_TOKEN")
    if token:
        admin_token = token

        async def invalidate(request: Request) -> Response:
            """The admin endpoint, on the live supergraph's cache."""
            response: Response = await admin_route(caches[holder.label], admin_token).endpoint(
                request
            )
            return response

        app.add_route(ADMIN_PATH, invalidate, methods=["POST"])
    return app


def add_router(commands: Any) -> None:
    """Register ``fedtasks router`` on the top-level parser."""
    parser = commands.add_parser("router", help="serve the supergraph (GraphQL on /graphql)")
    parser.add_argument(
        "--supergraph", default=os.environ.get("FEDTASKS_SUPERGRAPH", DEFAULT_SUPERGRAPH)
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4000)
    parser.add_argument(
        "--dev",
        action="store_true",
        default=os.environ.get("FEDTASKS_DEV", "") == "true",
        help="development mode: the fedtasks-include-plan header returns the query plan",
    )
    parser.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        help="worker processes, each with its own app (share their cache: set REDIS_URL)",
    )
    parser.set_defaults(run=_serve)


def _worker_count(value: str) -> int:
    """``--workers``: a whole number, at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {value!r}")
    return int(value)


def worker_app() -> Starlette:
    """The app of one worker process of ``fedtasks router --workers N`` (a uvicorn factory).

    Workers are fresh interpreters started from an import string, so each sets up its own
    logging and builds its own app from what ``_serve`` put in the environment: the
    supergraph (``FEDTASKS_SUPERGRAPH``) and the mode (``FEDTASKS_DEV``).
    """
    dev_mode = os.environ.get("FEDTASKS_DEV", "") == "true"
    level = os.environ.get("LOG_LEVEL", "info").lower()
    configure_logging(log_format(os.environ, dev_mode=dev_mode), level)
    supergraph = os.environ.get("FEDTASKS_SUPERGRAPH", DEFAULT_SUPERGRAPH)
    return build_router(supergraph, dev_mode=dev_mode)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from router.server.edge import EdgeProtocol, EdgeSettings

    level = os.environ.get("LOG_LEVEL", "info").lower()
    try:
        configure_logging(log_format(os.environ, dev_mode=args.dev), level)
        EdgeSettings.from_env(os.environ)
        app = build_router(args.supergraph, dev_mode=args.dev)
    except OSError as error:
        print(
            f"error: cannot read the supergraph {args.supergraph}: {error.strerror}",
            file=sys.stderr,
        )
        return 2
    except (SupergraphError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    target: Starlette | str = app
    # What start-up built (supergraph, schema, plans' model) lives as long as the process:
    # out of the collector's generations, a full collection, which holds the GIL and so
    # the event loop, no longer walks it each time a first-time document's garbage
    # triggers one (event-loop lag under hostile load: bench/event_loop_lag.py).
    gc.collect()
    gc.freeze()
    # First-time documents are prepared in a worker thread (router/operation/deadline.py);
    # while it runs, the event loop waits for the GIL up to this interval at each of its
    # wake-ups. 1 ms instead of 5 keeps another client's wait short (the p99 of
    # bench/event_loop_lag.py's well-behaved client under hostile load: 159 -> 75 ms).
    sys.setswitchinterval(0.001)
    if args.workers > 1:
        if not os.environ.get("REDIS_URL"):
            logging.getLogger("fedtasks.router").warning(
                "--workers %d without REDIS_URL: each worker keeps its own cache, APQ "
                "registrations and rate limits; set REDIS_URL to share them",
                args.workers,
            )
        # The app built above only checked the configuration, once, before any worker starts.
        os.environ["FEDTASKS_SUPERGRAPH"] = args.supergraph
        os.environ["FEDTASKS_DEV"] = "true" if args.dev else "false"
        target = f"{__name__}:{worker_app.__name__}"
    # Logging is configured above (LOG_FORMAT); the access log is the router's own.
    uvicorn.run(
        target,
        host=args.host,
        port=args.port,
        log_level=level,
        log_config=None,
        access_log=False,
        workers=args.workers,
        factory=args.workers > 1,
        # Header size, header-read and body-read timeouts (router/server/edge.py).
        http=EdgeProtocol,
        # On SIGTERM: stop accepting, let requests in flight finish (bounded), then close.
        timeout_graceful_shutdown=LifecycleSettings.from_env(os.environ).shutdown_grace_seconds,
    )
    return 0
