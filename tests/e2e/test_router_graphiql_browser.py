"""A person's first query: ``fedtasks dev``, then GraphiQL in a real browser, offline.

The whole stack runs as ``fedtasks dev`` on free ports. Headless Chromium (Debian's
``chromium``) opens the router's GraphiQL page with background networking off and is
driven over the Chrome DevTools Protocol (a websocket, with the ``websockets`` package
that ``uvicorn[standard]`` installs): the query goes into the editor, the run button is
clicked, and the result pane must show the federated answer, tasks with their
assignees' names. Every request the page makes must go to the router itself. A
screenshot is left in the test's ``tmp_path``. Without Chromium the test is skipped, or
fails when ``CI=true``.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.processes import environment, free_port, running, wait_until_up

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
    "--window-size=1280,800",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
QUERY = "{ tasks(first: 3) { edges { node { title assignee { name } } } } }"
STEP_TIMEOUT = 30.0

# GraphiQL 3 edits with CodeMirror 5, whose wrapper element carries the editor object.
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT_EDITOR = ".graphiql-response .CodeMirror"
RUN_BUTTON = ".graphiql-execute-button"


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


class DevTools:
    """A Chrome DevTools Protocol session on one page: commands, and the events seen."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and return its result, keeping the events that arrive meanwhile."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0)))
            if message.get("id") != number:
                self.events.append(message)
                continue
            if "error" in message:
                raise AssertionError(f"{method} failed: {message['error']}")
            result: dict[str, Any] = message["result"]
            return result

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str) -> Any:
        """Poll ``expression`` until it is truthy; fail saying ``what`` never happened."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        page = self.evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''")
        raise AssertionError(f"{what} within {STEP_TIMEOUT:.0f}s; the page shows:\n{page}")


def _devtools_port(profile: Path, browser: subprocess.Popen[str]) -> int:
    """The port Chromium chose, from the DevToolsActivePort file it writes in its profile."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        if browser.poll() is not None:
            output = browser.stdout.read() if browser.stdout else ""
            raise AssertionError(f"Chromium exited with {browser.returncode}:\n{output[-2000:]}")
        if marker.exists() and marker.read_text(encoding="utf-8").strip():
            return int(marker.read_text(encoding="utf-8").split()[0])
        time.sleep(0.1)
    raise AssertionError("Chromium did not open its DevTools port")


@pytest.fixture
def devtools(chromium: str, tmp_path: Path) -> Iterator[DevTools]:
    """A blank page in a fresh headless Chromium, driven over the DevTools Protocol."""
    profile = tmp_path / "chromium-profile"
    browser = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port = _devtools_port(profile, browser)
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        with connect(
            page["webSocketDebuggerUrl"], proxy=None, max_size=64 * 2**20, open_timeout=10
        ) as socket:
            yield DevTools(socket)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        if browser.stdout is not None:
            browser.stdout.close()


def _requested_urls(events: list[dict[str, Any]]) -> list[str]:
    return [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]


@pytest.mark.browser
def test_graphiql_runs_a_federated_query_offline(devtools: DevTools, tmp_path: Path) -> None:
    ports = [free_port() for _ in range(3)]
    args = ["dev", "--port", str(ports[0]), "--users-port", str(ports[1])]
    args += ["--tasks-port", str(ports[2])]
    origin = f"http://127.0.0.1:{ports[0]}"
    with running(args, cwd=tmp_path, env=environment()) as process:
        wait_until_up(f"{origin}/ready", process, timeout=90)
        expected = httpx.post(f"{origin}/graphql", json={"query": QUERY}, timeout=10).json()
        edges = expected["data"]["tasks"]["edges"]
        title = edges[0]["node"]["title"]
        names = [e["node"]["assignee"]["name"] for e in edges if e["node"]["assignee"]]
        assert names, f"the demo data has no assigned task among {edges}"

        devtools.call("Network.enable")
        devtools.call("Page.enable")
        devtools.call("Page.navigate", url=f"{origin}/graphql")
        devtools.wait_for(
            f"!!document.querySelector({json.dumps(QUERY_EDITOR)})", "GraphiQL did not render"
        )
        devtools.evaluate(
            f"document.querySelector({json.dumps(QUERY_EDITOR)}).CodeMirror"
            f".setValue({json.dumps(QUERY)})"
        )
        devtools.evaluate(f"document.querySelector({json.dumps(RUN_BUTTON)}).click()")
        shown = devtools.wait_for(
            f"(document.querySelector({json.dumps(RESULT_EDITOR)})?.CodeMirror.getValue() ?? '')"
            ".includes('\"tasks\"') && "
            f"document.querySelector({json.dumps(RESULT_EDITOR)}).CodeMirror.getValue()",
            "the result pane did not show the query's answer",
        )
        screenshot = devtools.call("Page.captureScreenshot", format="png")
        (tmp_path / "graphiql.png").write_bytes(base64.b64decode(screenshot["data"]))

    # What the pane shows is the router's answer: the tasks, joined with their assignees.
    assert json.loads(shown) == expected, shown
    assert title in shown
    assert names[0] in shown
    # The page fetched nothing from the internet: every request went to the router.
    urls = [u for u in _requested_urls(devtools.events) if urlsplit(u).scheme in ("http", "https")]
    assert f"{origin}/graphql" in urls
    assert all(u.startswith(f"{origin}/") for u in urls), urls
