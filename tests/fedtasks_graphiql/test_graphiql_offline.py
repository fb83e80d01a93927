"""GraphiQL renders from the npm-installed assets, no CDN: checked in a real headless Chromium.

A tiny FastAPI app runs in a real uvicorn server on a free loopback port:
``GET /graphql`` serves :func:`graphiql_response`, ``/graphiql-assets`` serves
:func:`assets_app` and ``POST /graphql`` answers with a tiny Strawberry schema.
Debian's Chromium (``apt-get install -y chromium``) then loads the page with background
networking off, and the dumped DOM must hold the GraphiQL editor, which only the
JavaScript installed by ``npm ci --prefix tools/graphiql`` can render. Without Chromium
the browser test is skipped, or fails when ``CI=true``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import strawberry
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from strawberry.fastapi import GraphQLRouter

import fedtasks_graphiql
from fedtasks_graphiql import (
    ASSET_FILES,
    ASSETS_DIR_ENV,
    ASSETS_PATH,
    NOT_INSTALLED_MESSAGE,
    assets_app,
    assets_dir,
    graphiql_html,
    graphiql_response,
    missing_assets,
)

CHROMIUM_APT = "apt-get update && apt-get install -y chromium"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--virtual-time-budget=10000",
)
TOOLS_DIR = Path(__file__).resolve().parents[2] / "tools" / "graphiql"
PINS = {"graphiql": "3.9.0", "react": "18.3.1", "react-dom": "18.3.1"}
SCRIPTS_REACT = "react/umd/react.production.min.js"
ATTR_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@strawberry.type
class Query:
    """The smallest schema GraphiQL can introspect."""

    @strawberry.field
    def hello(self) -> str:
        """A fixed greeting."""
        return "world"


@dataclass
class LiveServer:
    """A uvicorn server running in a background thread, and the requests it saw."""

    base_url: str
    requests: list[tuple[str, str]] = field(default_factory=list)


def _build_app(seen: list[tuple[str, str]]) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def record(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        seen.append((request.method, request.url.path))
        return await call_next(request)

    @app.get("/graphql", response_class=HTMLResponse, include_in_schema=False)
    async def ide() -> HTMLResponse:
        return graphiql_response("/graphql", title="test")

    router = GraphQLRouter(strawberry.Schema(Query), graphql_ide=None)
    app.include_router(router, prefix="/graphql")
    app.mount(ASSETS_PATH, assets_app(), name="graphiql-assets")
    return app


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    """Serve the test app on a free 127.0.0.1 port for the tests of this module."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    live = LiveServer(base_url=f"http://127.0.0.1:{port}")
    app = _build_app(live.requests)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, args=([sock],), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn test server did not start")
        time.sleep(0.02)
    try:
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of a headless-capable Chromium; skip without one (fail when ``CI=true``)."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    tried = ", ".join(CHROMIUM_CANDIDATES)
    message = f"Chromium not found (tried {tried}); install it: {CHROMIUM_APT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _run_chromium(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="graphiql-chromium-") as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def test_page_escapes_title_and_endpoint() -> None:
    page = graphiql_html("/x</script><script>alert(1)//", title="<b>Tasks & Users</b>")
    assert "<title>&lt;b&gt;Tasks &amp; Users&lt;/b&gt;</title>" in page
    assert "</script><script>alert(1)" not in page
    assert "GraphiQL.createFetcher(" in page


def test_page_is_offline_and_its_assets_are_served(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        assert "<title>test</title>" in html
        external = re.search(r"https?:", html, re.IGNORECASE)
        assert external is None, "the page names an external URL"

        urls = ATTR_URL.findall(html)
        assert sorted(urls) == sorted(f"{ASSETS_PATH}/{name}" for name in ASSET_FILES)
        for url in urls:
            assert url.startswith("/"), url
            assert not url.startswith("//"), url
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert len(asset.content) > 1000, url

        answer = client.post("/graphql", json={"query": "{ __typename hello }"})
        assert answer.json() == {"data": {"__typename": "Query", "hello": "world"}}


@pytest.mark.browser
def test_chromium_renders_graphiql(live_server: LiveServer, chromium: str) -> None:
    live_server.requests.clear()
    result = _run_chromium(chromium, "--dump-dom", f"{live_server.base_url}/graphql")
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "graphiql-container" in dom, (
        "GraphiQL did not render; Chromium said:\n" + result.stderr[-2000:]
    )
    assert "graphiql-editors" in dom
    assert "Loading GraphiQL" not in dom

    seen = set(live_server.requests)
    for name in ASSET_FILES:
        assert ("GET", f"{ASSETS_PATH}/{name}") in seen
    # GraphiQL's fetcher introspected the schema through the endpoint it was given.
    assert ("POST", "/graphql") in seen


def test_npm_installed_assets_are_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ASSETS_DIR_ENV, raising=False)
    assert missing_assets() == ()
    assert assets_dir() == TOOLS_DIR / "node_modules"


def test_package_json_pins_exact_versions_and_the_lock_agrees() -> None:
    manifest = json.loads((TOOLS_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((TOOLS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert manifest["private"] is True
    assert manifest["dependencies"] == PINS
    for name, version in PINS.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["license"] == "MIT"
    assert "node_modules/" in (TOOLS_DIR / ".gitignore").read_text(encoding="utf-8")


def _assets_only_app() -> Starlette:
    async def page(_request: Request) -> Response:
        return graphiql_response("/graphql", title="test")

    return Starlette(
        routes=[Route("/graphql", page), Mount(ASSETS_PATH, assets_app(), name="assets")]
    )


async def test_only_the_page_assets_are_served() -> None:
    transport = httpx.ASGITransport(app=_assets_only_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for name in ASSET_FILES:
            assert (await client.get(f"{ASSETS_PATH}/{name}")).status_code == 200, name
        # The rest of node_modules stays private.
        for other in ("react/package.json", "graphiql/package.json", "../package.json"):
            assert (await client.get(f"{ASSETS_PATH}/{other}")).status_code == 404, other


async def test_missing_assets_answer_503_and_say_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ASSETS_DIR_ENV, str(tmp_path / "not-installed"))
    app = _assets_only_app()  # creating the app must not fail without the assets
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/graphql")
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert NOT_INSTALLED_MESSAGE in page.text
        asset = await client.get(f"{ASSETS_PATH}/{ASSET_FILES[0]}")
        assert asset.status_code == 503
        assert asset.text == NOT_INSTALLED_MESSAGE


async def test_the_env_var_points_at_another_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ASSET_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"/* {name} */", encoding="utf-8")
    monkeypatch.setenv(ASSETS_DIR_ENV, str(tmp_path))
    assert assets_dir() == tmp_path
    transport = httpx.ASGITransport(app=_assets_only_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/graphql")).status_code == 200
        asset = await client.get(f"{ASSETS_PATH}/{SCRIPTS_REACT}")
        assert asset.text == f"/* {SCRIPTS_REACT} */"


def test_public_names() -> None:
    assert sorted(fedtasks_graphiql.__all__) == sorted(
        [
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
    )
