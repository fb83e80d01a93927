"""Tiny servers on 127.0.0.1 that answer subgraph requests the way a test needs them to.

``TinyHttpServer`` reads one HTTP request per connection and answers it with the bytes a
function of the request returns, or never answers; ``CountingProxy`` counts connections.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import Self

import orjson

from tests.support.tcp_proxy import TcpProxy

# (request head, request body) -> the raw HTTP response to send back, or None to hold the
# request without ever answering it.
Answer = Callable[[bytes, bytes], bytes | None]


def http_answer(status: str, content_type: str, body: bytes) -> bytes:
    """A whole HTTP/1.1 response; ``status`` is the code and reason, as in "502 Bad Gateway"."""
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


def request_headers(head: bytes) -> dict[str, str]:
    """The headers of a request head, names lower-cased."""
    lines = head.decode("latin-1").split("\r\n")[1:]
    pairs = (line.split(":", 1) for line in lines if line)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def echo(head: bytes, body: bytes) -> bytes:
    """A GraphQL answer whose data is the request's headers and decoded JSON body."""
    data = {"headers": request_headers(head), "body": orjson.loads(body)}
    return http_answer("200 OK", "application/json", orjson.dumps({"data": data}))


class TinyHttpServer:
    """An HTTP server at ``url`` answering with ``answer``, or holding every request if None."""

    def __init__(self, answer: Answer | None) -> None:
        self.answer = answer
        self.url = ""
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/graphql"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._writers):
            writer.transport.abort()
        await asyncio.sleep(0)  # let the aborted handlers finish

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(request_headers(head).get("content-length", "0"))
            body = await reader.readexactly(length)
            answer = None if self.answer is None else self.answer(head, body)
            if answer is None:
                await reader.read()  # until the client gives up and closes
            else:
                writer.write(answer)
                await writer.drain()
        writer.close()
        self._writers.discard(writer)


class CountingProxy(TcpProxy):
    """A TcpProxy that counts the connections it accepts: pooled clients open few."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.connections = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await super()._handle(reader, writer)


def graphql_ok(data: dict[str, object]) -> bytes:
    """A 200 GraphQL answer with ``data``."""
    return http_answer("200 OK", "application/json", orjson.dumps({"data": data}))


BAD_GATEWAY = http_answer("502 Bad Gateway", "text/html", b"<html>Bad Gateway</html>")


class Script:
    """An Answer that plays ``answers`` in order (the last one again once they run out).

    A None answer holds its request unanswered. ``calls`` counts the requests received,
    and ``bodies`` keeps their decoded JSON bodies.
    """

    def __init__(self, *answers: bytes | None) -> None:
        self.answers = answers
        self.calls = 0
        self.bodies: list[object] = []

    def __call__(self, _head: bytes, body: bytes) -> bytes | None:
        """The next scripted answer."""
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        self.bodies.append(orjson.loads(body))
        return answer


class HoldingHttpServer(TinyHttpServer):
    """A TinyHttpServer that holds every request until ``release``, then answers them all.

    ``arrived`` counts requests read; ``wait_for(n)`` returns once ``n`` have arrived, so a
    test knows they are in flight without sleeping.
    """

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer)
        self.arrived = 0
        self._released = asyncio.Event()
        self._arrival = asyncio.Condition()

    def release(self) -> None:
        """Answer every held request, and every later one at once."""
        self._released.set()

    async def wait_for(self, count: int) -> None:
        """Return once ``count`` requests have arrived."""
        async with self._arrival:
            await self._arrival.wait_for(lambda: self.arrived >= count)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(request_headers(head).get("content-length", "0"))
            body = await reader.readexactly(length)
            async with self._arrival:
                self.arrived += 1
                self._arrival.notify_all()
            await self._released.wait()
            answer = None if self.answer is None else self.answer(head, body)
            assert answer is not None, "a held request is answered once released"
            writer.write(answer)
            await writer.drain()
        writer.close()
        self._writers.discard(writer)
