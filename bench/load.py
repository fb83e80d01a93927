"""Closed-loop load: N clients each send one request, wait for its answer, send the next.

Throughput is the answers per second over a fixed time window; an answer that is not a
200 GraphQL response without errors counts as a failure, not as throughput. Each client
follows its own schedule of request bodies, over and over (one query for every client, or
a read/write mix in which each client writes its own data).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson

HEADERS = {"content-type": "application/json", "accept": "application/json"}
TIMEOUT = 30.0
"""Seconds before an unanswered request counts as a failure."""


@dataclass(frozen=True)
class Throughput:
    """What one load run measured."""

    requests: int
    failures: int
    seconds: float
    latencies: tuple[float, ...]
    first_failure: str | None

    @property
    def per_second(self) -> float:
        """Successful answers per second."""
        return self.requests / self.seconds if self.seconds else 0.0


class _Connection:
    """One keep-alive HTTP/1.1 connection that POSTs request bytes encoded before the run.

    The load client shares the machine's cores with what it measures, so it does as little
    as it can per request: no URL or header handling, no decoding (httpx costs more CPU per
    request than the router's warm-cache path, which then measured the client). It reads
    answers with a content-length or chunked, and reconnects when the server closes.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, request: bytes) -> tuple[int, bytes]:
        """Send ``request`` (a whole HTTP request) and return the answer's status and body.

        A reused connection the server closed meanwhile (nothing read back) is reopened and
        the request sent once more, as HTTP clients do.
        """
        reused = self._writer is not None
        try:
            return await self._exchange(request)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            partial = getattr(error, "partial", b"")
            await self.close()
            if not reused or partial:
                raise
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self._writer is None or self._reader is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        fields = head.lower()
        length = _header(fields, b"content-length")
        if length is not None:
            body = await self._reader.readexactly(int(length))
        elif _header(fields, b"transfer-encoding") == b"chunked":
            body = await _chunked(self._reader)
        else:
            body = await self._reader.read()
            await self.close()
        connection = _header(fields, b"connection")
        if connection == b"close" or (
            fields.startswith(b"http/1.0") and connection != b"keep-alive"
        ):
            await self.close()
        return status, body

    async def close(self) -> None:
        """Close the connection; the next post opens a new one."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def _header(head: bytes, name: bytes) -> bytes | None:
    """The value of header ``name`` in a lower-cased response head, or None."""
    start = head.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    return head[start : head.index(b"\r\n", start)].strip()


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    """A chunked body, read to its last chunk and trailers."""
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(parts)
        parts.append((await reader.readexactly(size + 2))[:-2])


def _requests(url: str, schedule: Sequence[bytes], headers: Mapping[str, str]) -> list[bytes]:
    """The whole HTTP request for each body of ``schedule``."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    fields = {"host": parts.netloc, **HEADERS, **headers}
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return [
        f"POST {target} HTTP/1.1\r\n{head}content-length: {len(body)}\r\n\r\n".encode() + body
        for body in schedule
    ]


async def _client(
    connection: _Connection,
    requests: Sequence[bytes],
    until: float,
    latencies: list[float],
    failures: list[str],
) -> None:
    try:
        for request in itertools.cycle(requests):
            if time.perf_counter() >= until:
                return
            started = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(connection.post(request), TIMEOUT)
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                TimeoutError,
            ) as error:
                failures.append(f"{type(error).__name__}: {error}")
                await connection.close()
                continue
            elapsed = time.perf_counter() - started
            # A cheap check on every answer; the full one is done once before the run.
            if status == 200 and b'"errors"' not in body:
                latencies.append(elapsed)
            else:
                failures.append(f"HTTP {status}: {body[:300].decode(errors='replace')}")
    finally:
        await connection.close()


async def run_load(
    url: str,
    schedules: Sequence[Sequence[bytes]],
    *,
    seconds: float,
    headers: Mapping[str, str] | None = None,
) -> Throughput:
    """Load ``url`` for ``seconds`` with one client per schedule, each cycling through its own.

    Each client has its own keep-alive connection. ``headers`` are sent with every
    request, on top of the JSON content type.
    """
    latencies: list[float] = []
    failures: list[str] = []
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None:
        raise ValueError(f"the load client speaks plain HTTP only, not {url!r}")
    port = parts.port or 80
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(
            _client(
                _Connection(parts.hostname, port),
                _requests(url, schedule, headers or {}),
                until,
                latencies,
                failures,
            )
            for schedule in schedules
        )
    )
    elapsed = time.perf_counter() - started
    return Throughput(
        requests=len(latencies),
        failures=len(failures),
        seconds=elapsed,
        latencies=tuple(latencies),
        first_failure=failures[0] if failures else None,
    )


def throughput(
    url: str,
    query: str,
    *,
    clients: int,
    seconds: float,
    headers: Mapping[str, str] | None = None,
) -> Throughput:
    """Load ``url`` with ``query`` from ``clients`` concurrent clients for ``seconds``.

    ``headers`` go with every request (a signed-in client's Authorization).
    """
    body = orjson.dumps({"query": query})
    return asyncio.run(run_load(url, [(body,)] * clients, seconds=seconds, headers=headers))
