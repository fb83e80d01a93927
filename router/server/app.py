"""The router's ASGI app: ``/graphql``, GraphiQL, ``/health``, ``/ready``, ``/health/subgraphs``.

Starlette alone is enough here: the GraphQL endpoint decodes and encodes its own
requests (:mod:`router.server.http`), and the pipeline does the GraphQL work.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from fedtasks_graphiql import ASSETS_PATH, assets_app, graphiql_response
from router.auth.identity import identity_of
from router.observability.context import current_request_id, note_outcome
from router.observability.request_id import new_request_id
from router.server.batch import batch_response
from router.server.contract import GraphQLRequest, Pipeline
from router.server.csrf import csrf_refusal
from router.server.errors import RequestError
from router.server.http import Batch, decode_request, encode_error, encode_outcome, headers_of
from router.server.media_types import APPLICATION_JSON, accepts_html, negotiate
from router.server.subgraph_health import SubgraphHealth

logger = logging.getLogger("fedtasks.router")

GRAPHQL_PATH = "/graphql"
"""Where the router serves GraphQL, and GraphiQL to a browser."""


class GraphQLEndpoint:
    """``GET`` and ``POST`` on ``/graphql``: GraphQL over HTTP, or GraphiQL for a browser."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        title: str,
        csrf_prevention: bool = True,
        max_body_bytes: int | None = None,
        max_batch: int | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.title = title
        self.csrf_prevention = csrf_prevention
        self.max_body_bytes = max_body_bytes
        self.max_batch = max_batch

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request on the GraphQL endpoint."""
        accept = request.headers.get("accept")
        if _wants_graphiql(request, accept):
            return graphiql_response(GRAPHQL_PATH, title=self.title)
        media_type = negotiate(accept)
        if media_type is None:
            # No supported type is acceptable: 406 (the spec's RECOMMENDED answer), with
            # the error in application/json, which every GraphQL client reads.
            return encode_error(
                RequestError(
                    "Not acceptable: accept application/graphql-response+json or application/json.",
                    status=406,
                ),
                media_type=APPLICATION_JSON,
            )
        if self.csrf_prevention and (refusal := csrf_refusal(headers_of(request))) is not None:
            return encode_error(refusal, media_type=media_type)
        try:
            decoded = await decode_request(
                request, max_body_bytes=self.max_body_bytes, max_batch=self.max_batch
            )
        except RequestError as error:
            return encode_error(error, media_type=media_type)
        if isinstance(decoded, Batch):
            return await batch_response(
                decoded,
                lambda entry: self.respond(request, entry, media_type),
                media_type=media_type,
            )
        return await self.respond(request, decoded, media_type)

    async def respond(
        self, request: Request, graphql_request: GraphQLRequest, media_type: str
    ) -> Response:
        """Run one decoded GraphQL request (alone, or an entry of a batch) and answer it."""
        identity = identity_of(request.scope)
        if identity is not None:
            graphql_request = replace(graphql_request, identity=identity)
        try:
            outcome = await self.pipeline.execute(graphql_request)
        except Exception:
            # The id the client gets back in x-request-id, and every log line of this request.
            request_id = current_request_id() or new_request_id()
            logger.exception("internal error (request %s)", request_id)
            note_outcome(None)
            internal = RequestError(
                f"Internal server error (request {request_id}).",
                status=500,
                code="INTERNAL_SERVER_ERROR",
            )
            return encode_error(internal, media_type=media_type)
        note_outcome(outcome)
        return encode_outcome(outcome, media_type=media_type)


def create_router_app(
    pipeline: Pipeline,
    *,
    title: str = "fedtasks router",
    on_shutdown: Callable[[], Awaitable[None]] | None = None,
    on_startup: Callable[[], Awaitable[None]] | None = None,
    middleware: Sequence[Middleware] = (),
    csrf_prevention: bool = True,
    max_body_bytes: int | None = None,
    max_batch: int | None = None,
    subgraph_health: SubgraphHealth | None = None,
) -> Starlette:
    """Build the router's ASGI app around ``pipeline``.

    Routes: ``/graphql`` (GET and POST), ``/health`` (the process is alive), ``/ready``
    (200 while ``pipeline.ready()``, else 503), ``/health/subgraphs`` (each subgraph
    ``up`` or ``down``; 200 when all are up, else 503; through ``subgraph_health`` when
    given, which keeps its metric) and the GraphiQL assets at
    :data:`~fedtasks_graphiql.ASSETS_PATH`. ``title`` names the GraphiQL page;
    ``on_shutdown`` runs when the server stops (to close subgraph connections), and
    ``on_startup`` when it starts (to start watching the supergraph file).
    ``middleware`` wraps every route, the first one outermost.

    ``csrf_prevention`` refuses requests a browser could send cross-site without a
    preflight (:mod:`router.server.csrf`); ``max_body_bytes`` bounds a request's body and
    ``max_batch`` the entries of a batched POST (None: no limit).
    """

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup()
        yield
        if on_shutdown is not None:
            await on_shutdown()

    async def health(_request: Request) -> Response:
        """The process is alive."""
        return _json({"status": "ok"})

    async def ready(_request: Request) -> Response:
        """The pipeline can serve; 503 while it cannot."""
        if await pipeline.ready():
            return _json({"status": "ready"})
        return _json({"status": "unavailable"}, status=503)

    async def subgraphs(_request: Request) -> Response:
        """Whether each subgraph answers now; 503 when one does not."""
        if subgraph_health is not None:
            health = await subgraph_health.check()
        else:
            health = await pipeline.subgraph_health()
        body = {"subgraphs": {name: "up" if up else "down" for name, up in health.items()}}
        return _json(body, status=200 if all(health.values()) else 503)

    app = Starlette(
        routes=[
            Route(
                GRAPHQL_PATH,
                GraphQLEndpoint(
                    pipeline,
                    title=title,
                    csrf_prevention=csrf_prevention,
                    max_body_bytes=max_body_bytes,
                    max_batch=max_batch,
                ).handle,
                methods=["GET", "POST"],
            ),
            Route("/health", health, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),
            Route("/health/subgraphs", subgraphs, methods=["GET"]),
            Mount(ASSETS_PATH, assets_app(), name="graphiql-assets"),
        ],
        lifespan=lifespan,
        middleware=list(middleware),
    )
    app.state.pipeline = pipeline
    return app


def _wants_graphiql(request: Request, accept: str | None) -> bool:
    """A browser opening the endpoint: a GET with no ``query`` that accepts HTML."""
    return (
        request.method in ("GET", "HEAD")
        and "query" not in request.query_params
        and accepts_html(accept)
    )


def _json(body: Mapping[str, object], *, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=APPLICATION_JSON)
