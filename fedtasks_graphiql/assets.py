"""Where the npm-installed GraphiQL and React builds live, and the ASGI app serving them.

The files come from ``tools/graphiql/node_modules``, which ``make install`` fills with
``npm ci`` from the committed ``package-lock.json`` (graphiql 3.9.0, react and react-dom
18.3.1, all MIT). Only the four files the page loads are served, never the rest of
``node_modules``. A missing install is reported per request (503 and what to run), so an
app that mounts :func:`assets_app` always starts.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Final

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

ASSETS_PATH: Final = "/graphiql-assets"
"""URL prefix where :func:`assets_app` is mounted and from which the page loads."""

ASSETS_DIR_ENV: Final = "FEDTASKS_GRAPHIQL_DIR"
"""Environment variable naming the ``node_modules`` folder that holds the assets."""

STYLESHEETS: Final[tuple[str, ...]] = ("graphiql/graphiql.min.css",)
"""Stylesheets the page links, in order, relative to ``node_modules`` and the mount."""

SCRIPTS: Final[tuple[str, ...]] = (
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
)
"""Scripts the page loads, in order (React and ReactDOM before GraphiQL's UMD bundle)."""

ASSET_FILES: Final[tuple[str, ...]] = STYLESHEETS + SCRIPTS
"""Every file the page references: the only ones :func:`assets_app` serves."""

NOT_INSTALLED_MESSAGE: Final = (
    "GraphiQL assets are not installed: run `make install` (npm ci --prefix tools/graphiql)"
)
"""What the page and the asset URLs answer, with status 503, while the files are missing."""

_DEFAULT_DIR: Final = Path(__file__).resolve().parent.parent / "tools" / "graphiql" / "node_modules"


def assets_dir() -> Path:
    """Return the ``node_modules`` folder holding the assets.

    :data:`ASSETS_DIR_ENV` names it when set (e.g. for an install that is not an editable
    checkout); otherwise it is ``tools/graphiql/node_modules`` in the repository that
    holds this package.
    """
    configured = os.environ.get(ASSETS_DIR_ENV, "").strip()
    return Path(configured) if configured else _DEFAULT_DIR


def missing_assets(directory: Path | None = None) -> tuple[str, ...]:
    """Return the asset files absent from ``directory`` (by default :func:`assets_dir`)."""
    root = assets_dir() if directory is None else directory
    return tuple(name for name in ASSET_FILES if not (root / name).is_file())


class GraphiQLAssets(StaticFiles):
    """Starlette's static files, limited to :data:`ASSET_FILES` and 503 while they are missing."""

    def __init__(self, directory: Path) -> None:
        # check_dir=False: a missing install must not stop the app from starting.
        super().__init__(directory=directory, check_dir=False)
        self.root = directory
        self.installed = False

    async def check_config(self) -> None:
        """Accept a missing folder: :meth:`get_response` answers 503 for it instead."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Serve one of :data:`ASSET_FILES`; 404 for any other path."""
        if PurePath(path).as_posix() not in ASSET_FILES:
            raise HTTPException(status_code=404)
        if not self.installed:
            # Checked until found, so `make install` takes effect without a restart.
            missing = await anyio.to_thread.run_sync(missing_assets, self.root)
            if missing:
                return PlainTextResponse(NOT_INSTALLED_MESSAGE, status_code=503)
            self.installed = True
        return await super().get_response(path, scope)


def assets_app() -> GraphiQLAssets:
    """Return an ASGI app serving the assets; mount it at :data:`ASSETS_PATH`.

    The folder is resolved now (see :func:`assets_dir`); its files are looked for on each
    request until they are there.
    """
    return GraphiQLAssets(assets_dir())
