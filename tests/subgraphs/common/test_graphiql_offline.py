"""GraphiQL renders from vendored assets, no CDN: checked in a real headless Chromium.

A tiny FastAPI app runs in a real uvicorn server on a free loopback port:
``GET /graphql`` serves :func:`graphiql_html`, ``/graphiql-assets`` serves
:func:`assets_app` and ``POST /graphql`` answers with a tiny Strawberry schema.
Debian's Chromium (``apt-get install -y chromium``) then loads the page with background
networking off, and the dumped DOM must hold the GraphiQL editor, which only the
vendored JavaScript can render. Without Chromium the browser test is skipped, or fails
when ``CI=true``.
"""

from __future__ import annotations

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

import httpx
import pytest
import strawberry
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from subgraphs.common.graphiql import (
    ASSET_FILES,
    ASSETS_DIR,
    ASSETS_PATH,
    assets_app,
    graphiql_html,
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
    async def ide() -> str:
        return graphiql_html("/graphql", title="test")

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


def test_vendored_assets_are_present() -> None:
    for name in ASSET_FILES:
        assert (ASSETS_DIR / name).is_file(), name
    assert "MIT" in (ASSETS_DIR / "LICENSES.md").read_text(encoding="utf-8")
