"""An offline GraphiQL page for the router and the subgraphs, from npm-installed assets.

Strawberry's built-in GraphiQL loads React and GraphiQL from a CDN, so it shows a blank
page on a machine with no internet. This package renders the same IDE from the GraphiQL
and React builds that the project's set-up installs with npm (``tools/graphiql``, pinned
by its ``package-lock.json``; ``make install`` runs ``npm ci`` there). A service mounts
:func:`assets_app` at :data:`ASSETS_PATH` and answers a browser's ``GET`` on its GraphQL
endpoint with :func:`graphiql_response` (or :func:`graphiql_html`)::

    app.mount(ASSETS_PATH, assets_app(), name="graphiql-assets")
    ...
    return graphiql_response("/graphql", title="fedtasks router")

The page references no external URL: everything it loads comes from the same site. When
the assets are not installed nothing fails at import or start-up; the page and the asset
URLs answer 503 with :data:`NOT_INSTALLED_MESSAGE` instead.

Both the router and the subgraphs import this package (they may not import each other),
so it depends on Starlette only.
"""

from __future__ import annotations

from fedtasks_graphiql.assets import (
    ASSET_FILES,
    ASSETS_DIR_ENV,
    ASSETS_PATH,
    NOT_INSTALLED_MESSAGE,
    SCRIPTS,
    STYLESHEETS,
    GraphiQLAssets,
    assets_app,
    assets_dir,
    missing_assets,
)
from fedtasks_graphiql.page import graphiql_html, graphiql_response

__all__ = [
    "ASSETS_DIR_ENV",
    "ASSETS_PATH",
    "ASSET_FILES",
    "NOT_INSTALLED_MESSAGE",
    "SCRIPTS",
    "STYLESHEETS",
    "GraphiQLAssets",
    "assets_app",
    "assets_dir",
    "graphiql_html",
    "graphiql_response",
    "missing_assets",
]
