"""The GraphiQL HTML page, loading its scripts and stylesheet from the same site."""

from __future__ import annotations

import html
import json
from typing import Final

from starlette.responses import HTMLResponse

from fedtasks_graphiql.assets import (
    ASSETS_PATH,
    NOT_INSTALLED_MESSAGE,
    SCRIPTS,
    STYLESHEETS,
    missing_assets,
)

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

_NOT_INSTALLED_PAGE: Final = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>GraphiQL unavailable</title></head>
<body><p>{html.escape(NOT_INSTALLED_MESSAGE)}</p></body>
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
    where :func:`~fedtasks_graphiql.assets_app` is expected to be mounted) on the same
    site; the page names no external URL.
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


def graphiql_response(endpoint: str, *, title: str, assets_path: str = ASSETS_PATH) -> HTMLResponse:
    """Return :func:`graphiql_html` as a response, or a 503 page if the assets are missing.

    Without its assets the page would stay blank, so the browser is told what to run
    instead (:data:`~fedtasks_graphiql.NOT_INSTALLED_MESSAGE`).
    """
    if missing_assets():
        return HTMLResponse(_NOT_INSTALLED_PAGE, status_code=503)
    return HTMLResponse(graphiql_html(endpoint, title=title, assets_path=assets_path))
