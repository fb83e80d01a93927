"""An offline GraphiQL page: HTML built here, JavaScript and CSS served from here.

Strawberry's built-in GraphiQL loads React and GraphiQL from a CDN, so it shows a blank
page on a machine with no internet. This module renders the same IDE from copies
vendored in the ``graphiql/`` folder beside it (GraphiQL 3 UMD bundle, React 18 UMD
builds; see its ``LICENSES.md``). A service mounts :func:`assets_app` at
:data:`ASSETS_PATH` and has its Strawberry router answer a browser's ``GET`` with
:func:`graphiql_html`::

    class OfflineGraphQLRouter(GraphQLRouter[Any, None]):
        async def render_graphql_ide(self, request: Request) -> HTMLResponse:
            return HTMLResponse(graphiql_html(request.url.path, title="Users subgraph"))

    app.include_router(OfflineGraphQLRouter(schema), prefix="/graphql")
    app.mount(ASSETS_PATH, assets_app(), name="graphiql-assets")

The page references no external URL: everything it loads comes from the same site.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Final

from starlette.staticfiles import StaticFiles

ASSETS_PATH: Final = "/graphiql-assets"
"""URL prefix where :func:`assets_app` is mounted and from which the page loads."""

ASSETS_DIR: Final = Path(__file__).resolve().with_name("graphiql")
"""Folder holding the vendored GraphiQL, React and ReactDOM files."""

STYLESHEETS: Final[tuple[str, ...]] = ("graphiql.min.css",)
"""Stylesheets the page links, in order, relative to :data:`ASSETS_PATH`."""

SCRIPTS: Final[tuple[str, ...]] = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
)
"""Scripts the page loads, in order (React and ReactDOM before GraphiQL)."""

ASSET_FILES: Final[tuple[str, ...]] = STYLESHEETS + SCRIPTS
"""Every asset file the page references, relative to :data:`ASSETS_PATH`."""

_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
html, body {{ height: 100%; margin: 0; overflow: hidden; }}
#graphiql {{ height: 100vh; }}
</style>
{stylesheets}
</head>
<body>
<div id="graphiql">Loading GraphiQL&hellip;</div>
<noscript>GraphiQL needs JavaScript.</noscript>
{scripts}
<script>
(function () {{
  "use strict";
  var endpoint = {endpoint};
  var url = new URL(endpoint, window.location.origin + "/").toString();
  var fetcher = GraphiQL.createFetcher({{ url: url }});
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {{
    fetcher: fetcher,
    defaultEditorToolsVisibility: true
  }}));
}})();
</script>
</body>
</html>
"""


def _js_string(value: str) -> str:
    """Return ``value`` as a JavaScript string literal, safe inside a ``<script>``."""
    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def graphiql_html(endpoint: str, *, title: str, assets_path: str = ASSETS_PATH) -> str:
    """Return a complete HTML page rendering GraphiQL against ``endpoint``, offline.

    ``endpoint`` is the GraphQL URL the IDE posts to: a path such as ``"/graphql"`` is
    resolved against ``window.location.origin`` in the browser, an absolute URL is used
    as is. ``title`` becomes the page's ``<title>`` (HTML-escaped). The page's scripts
    and stylesheet are loaded from ``assets_path`` (by default :data:`ASSETS_PATH`,
    where :func:`assets_app` is expected to be mounted) on the same site; the page
    names no external URL.
    """
    prefix = html.escape(assets_path.rstrip("/"), quote=True)
    stylesheets = "\n".join(
        f'<link rel="stylesheet" href="{prefix}/{name}">' for name in STYLESHEETS
    )
    scripts = "\n".join(f'<script src="{prefix}/{name}"></script>' for name in SCRIPTS)
    return _PAGE.format(
        title=html.escape(title, quote=True),
        stylesheets=stylesheets,
        scripts=scripts,
        endpoint=_js_string(endpoint),
    )


def assets_app() -> StaticFiles:
    """Return an ASGI app serving the vendored assets; mount it at :data:`ASSETS_PATH`.

    Raises ``RuntimeError`` (from Starlette) if the assets folder is missing, e.g. when
    the package was installed without its package data.
    """
    return StaticFiles(directory=ASSETS_DIR, check_dir=True)
