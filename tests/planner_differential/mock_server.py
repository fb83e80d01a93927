"""One HTTP server on a free loopback port serving every mock subgraph of the run.

A mock is reached at ``/<supergraph key>/<caller>/<subgraph>``: the caller (``router`` or
``apollo``) is only a label, so the log tells which gateway sent what; both reach the same
mock. Every request is logged with the errors the mock answered, so a difference can be
traced to an operation the receiving subgraph rejected.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import uvicorn

from tests.planner_differential.mock_subgraph import MockSubgraph


@dataclass(frozen=True)
class LoggedRequest:
    """One request a mock subgraph answered."""

    key: str
    caller: str
    subgraph: str
    query: str
    variables: dict[str, Any]
    errors: list[dict[str, Any]]


class MockServer:
    """An ASGI app routing to the registered mocks, run by uvicorn in a thread."""

    def __init__(self) -> None:
        self.mocks: dict[tuple[str, str], MockSubgraph] = {}
        self.log: list[LoggedRequest] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        # Idle connections stay open for the whole run: a gateway reusing one the server is
        # just closing would fail a request by chance (uvicorn closes them after 5 s).
        config = uvicorn.Config(
            self, log_level="warning", lifespan="off", access_log=False, timeout_keep_alive=3600
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="mock-subgraphs", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._sock]))

    def start(self) -> None:
        """Serve until :meth:`stop`; returns once the server accepts connections."""
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the mock subgraph server did not start")
            threading.Event().wait(0.01)

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join()
        self._sock.close()

    def register(self, key: str, mocks: Mapping[str, MockSubgraph]) -> None:
        """Serve ``mocks`` under the supergraph key ``key``."""
        for name, mock in mocks.items():
            self.mocks[(key, name)] = mock

    def urls(self, key: str, caller: str, names: list[str]) -> dict[str, str]:
        """The URL of each subgraph of ``key`` for the gateway ``caller``."""
        base = f"http://127.0.0.1:{self.port}"
        return {name: f"{base}/{key}/{caller}/{name}" for name in names}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer one GraphQL POST."""
        assert scope["type"] == "http"
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        status, body = self._answer(scope["path"], b"".join(chunks))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": orjson.dumps(body)})

    def _answer(self, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        parts = path.strip("/").split("/")
        mock = self.mocks.get((parts[0], parts[2])) if len(parts) == 3 else None
        if mock is None:
            return 404, {"errors": [{"message": f"no mock subgraph at {path}"}]}
        request = orjson.loads(raw)
        query = request.get("query") or ""
        variables = request.get("variables") or {}
        body = mock.execute(query, variables, request.get("operationName"))
        self.log.append(
            LoggedRequest(parts[0], parts[1], parts[2], query, variables, body.get("errors", []))
        )
        return 200, body
