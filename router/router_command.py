"""``fedtasks router``: serve the supergraph over HTTP.

Subgraph URLs come from the supergraph's routing URLs; ``FEDTASKS_SUBGRAPH_URL_<NAME>``
(e.g. ``FEDTASKS_SUBGRAPH_URL_USERS``) overrides one for a deployment. Identical subgraph
queries in flight at the same time are sent once unless ``FEDTASKS_DEDUPE=false``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

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


def build_router(supergraph_path: str, *, dev_mode: bool) -> Starlette:
    """The router app for the supergraph file (raises SupergraphError or OSError)."""
    supergraph = read_supergraph(Path(supergraph_path).read_text(encoding="utf-8"))
    transport: SubgraphTransport = HttpTransport(subgraph_urls(supergraph.urls))
    if os.environ.get("FEDTASKS_DEDUPE", "true") != "false":
        transport = DedupingTransport(transport)
    pipeline = RouterPipeline(supergraph, transport, dev_mode=dev_mode)
    return create_router_app(pipeline, on_shutdown=transport.aclose)


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
    except SupergraphError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    level = os.environ.get("LOG_LEVEL", "info").lower()
    uvicorn.run(app, host=args.host, port=args.port, log_level=level, access_log=level == "debug")
    return 0
