"""Closed-loop load against a real HTTP server: schedules cycle, errors are failures."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from load import run_load


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST with data, or with an error when the body asks for one."""

    received: list[tuple[str, bytes]] = []  # noqa: RUF012 (one server per test)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.received.append((self.headers.get("authorization", ""), body))
        failing = orjson.loads(body)["query"] == "fail"
        answer = b'{"errors":[{"message":"no"}]}' if failing else b'{"data":{"ok":true}}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []
    handler = type("Handler", (_Recorder,), {"received": received})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/graphql", received
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _body(query: str) -> bytes:
    return orjson.dumps({"query": query})


def test_each_client_cycles_through_its_schedule_with_the_headers(
    server: tuple[str, list[tuple[str, bytes]]],
) -> None:
    url, received = server
    schedule = (_body("a"), _body("b"), _body("c"))
    result = asyncio.run(
        run_load(url, [schedule], seconds=0.3, headers={"authorization": "Bearer x"})
    )
    assert result.failures == 0
    assert result.requests == len(received) == len(result.latencies)
    assert {auth for auth, _ in received} == {"Bearer x"}
    sent = [body for _, body in received]
    assert sent == [schedule[i % 3] for i in range(len(sent))]


def test_an_answer_with_errors_is_a_failure_not_throughput(
    server: tuple[str, list[tuple[str, bytes]]],
) -> None:
    url, received = server
    result = asyncio.run(run_load(url, [(_body("ok"),), (_body("fail"),)], seconds=0.3))
    failing = sum(1 for _, body in received if b"fail" in body)
    assert result.failures == failing > 0
    assert result.requests == len(received) - failing
    assert result.first_failure is not None
    assert result.first_failure.startswith("HTTP 200:")


class _KeepAliveServer:
    """An HTTP/1.1 server on asyncio that keeps connections open and answers chunked.

    With ``close_after`` it answers ``connection: close`` on every that-many-th request.
    """

    def __init__(self, *, close_after: int = 0) -> None:
        self.close_after = close_after
        self.connections = 0
        self.requests = 0
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> _KeepAliveServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/graphql"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).lower()
                length = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                self.requests += 1
                closing = self.close_after and self.requests % self.close_after == 0
                chunks = b'7\r\n{"data"\r\nd\r\n:{"ok":true}}\r\n0\r\n\r\n'
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + (b"connection: close\r\n" if closing else b"")
                    + b"transfer-encoding: chunked\r\n\r\n"
                    + chunks
                )
                await writer.drain()
                if closing:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


async def test_each_client_keeps_one_connection_and_reads_chunked_answers() -> None:
    async with _KeepAliveServer() as server:
        result = await run_load(server.url, [(_body("a"),), (_body("b"),)], seconds=0.3)
    assert result.failures == 0, result.first_failure
    assert result.requests == server.requests > 2
    assert server.connections == 2


async def test_a_connection_the_server_closes_is_opened_again() -> None:
    async with _KeepAliveServer(close_after=3) as server:
        result = await run_load(server.url, [(_body("a"),)], seconds=0.3)
    assert result.failures == 0, result.first_failure
    assert result.requests == server.requests > 6
    assert server.connections == -(-server.requests // 3)


def test_only_plain_http_urls_are_loaded() -> None:
    with pytest.raises(ValueError, match="plain HTTP"):
        asyncio.run(run_load("https://example.com/graphql", [(_body("a"),)], seconds=0.1))
