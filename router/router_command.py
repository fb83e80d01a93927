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
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from router.auth.middleware import AuthenticationMiddleware
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from router.cache.admin import admin_route
from router.cache.caching_transport import CachingTransport
from router.cache.config import backend_from_env
from router.cache.entity_metrics import EntityCacheMetrics
from router.cache.metrics import CacheMetrics
from router.cache.persisted import PersistedQueries, read_manifest
from router.cache.plans import SharedPlans
from router.cache.policy import CachePolicy
from router.pipeline import RouterPipeline
from router.server.app import create_router_app
from router.supergraph.errors import SupergraphError
from router.supergraph.reader import read_supergraph
from router.transport.base import SubgraphTransport
from router.transport.dedupe import DedupingTransport
from router.transport.http import HttpTransport

DEFAULT_SUPERGRAPH = "schema/supergraph.graphql"


def subgraph_urls(urls: dict[str, str]) -> dict[str, str]:
    """The routing URLs, with ``FEDTASKS_SUBGRAPH_URL_<NAME>`` overrides applied."""
    return {
        name: os.environ.get(f"FEDTASKS_SUBGRAPH_URL_{name.upper()}", url)
        for name, url in urls.items()
    }


def _switch(name: str, default: str) -> bool:
    value = os.environ.get(name, default).lower()
    if value not in ("on", "off", "true", "false"):
        raise ValueError(f"{name} must be on or off, got {value!r}")
    return value in ("on", "true")


def build_router(supergraph_path: str, *, dev_mode: bool) -> Starlette:
    """The router app for the supergraph file (raises SupergraphError, OSError, ValueError)."""
    supergraph = read_supergraph(Path(supergraph_path).read_text(encoding="utf-8"))
    registry = CollectorRegistry()
    backend = backend_from_env(metrics=CacheMetrics(registry))
    transport: SubgraphTransport = HttpTransport(subgraph_urls(supergraph.urls))
    if _switch("FEDTASKS_DEDUPE", "true"):
        transport = DedupingTransport(transport)
    caching = CachingTransport(
        transport,
        backend,
        supergraph,
        policy=CachePolicy.from_env(),
        metrics=EntityCacheMetrics(registry),
    )
    manifest_path = os.environ.get("FEDTASKS_PERSISTED_QUERIES")
    persisted = PersistedQueries(
        backend,
        safelist=_switch("FEDTASKS_SAFELIST", "false"),
        manifest=read_manifest(Path(manifest_path)) if manifest_path else None,
        apq=_switch("FEDTASKS_APQ", "on"),
    )
    pipeline = RouterPipeline(
        supergraph,
        caching,
        dev_mode=dev_mode,
        persisted=persisted,
        shared_plans=SharedPlans(backend),
        subgraph_secret=os.environ.get("FEDTASKS_SUBGRAPH_SECRET") or None,
    )
    verifier = TokenVerifier.from_settings(AuthSettings.from_env())

    async def close() -> None:
        await caching.aclose()
        await backend.aclose()
        await verifier.aclose()

    # Outermost first: request id and request metrics (observability), CORS,
    # authentication (sets the verified identity), rate limiting (keys on it).
    middleware: list[Middleware] = []
    # Authentication: a bearer token verified (or 401), the identity put in the scope state.
    middleware.append(Middleware(AuthenticationMiddleware, verifier=verifier))
    app = create_router_app(pipeline, on_shutdown=close, middleware=middleware)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_route("/metrics", metrics, methods=["GET"])
    token = os.environ.get("FEDTASKS_ADMIN_TOKEN")
    if token:
        app.router.routes.append(admin_route(caching, token))
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
    parser.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    try:
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
    level = os.environ.get("LOG_LEVEL", "info").lower()
    uvicorn.run(app, host=args.host, port=args.port, log_level=level, access_log=level == "debug")
    return 0
