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
