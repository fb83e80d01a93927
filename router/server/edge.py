"""The HTTP edge: uvicorn's httptools protocol with bounds on headers and slow clients.

uvicorn (0.55, httptools) reads a request's headers without a size bound and waits
for them, and for the body, without a timeout: a 32 MiB header was accepted and a
connection sending one byte a second was held for as long as it kept sending. This
protocol adds, per connection:

- a bound on the bytes of a request line and headers: over it, 431 and the connection
  is closed (counted on what arrives before the headers end, so memory stays bounded);
- a header-read timeout, from the connection's first byte (or its opening, for one that
  sends nothing) to the end of the headers: past it, 408 and close;
- a body-read timeout, from the end of the headers to the end of the body: past it,
  408 and close (the app sees the client go away).

The settings come from the environment (:class:`EdgeSettings`, read by ``fedtasks
router`` at start, so a bad value is refused then), because each worker process builds
its protocol from uvicorn's import of this class.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from router.env_values import seconds

STATUS_TEXT: Final = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


@dataclass(frozen=True)
class EdgeSettings:
    """Header size and read timeouts for every connection."""

    max_header_bytes: int = 32_768
    header_seconds: float = 10.0
    body_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> EdgeSettings:
        """FEDTASKS_MAX_HEADER_BYTES, FEDTASKS_HEADER_TIMEOUT, FEDTASKS_BODY_TIMEOUT."""
        raw = environ.get("FEDTASKS_MAX_HEADER_BYTES", "").strip()
        if raw and (not raw.isdigit() or int(raw) < 1024):
            raise ValueError(
                f"FEDTASKS_MAX_HEADER_BYTES must be a whole number of at least 1024, got {raw!r}"
            )
        return cls(
            max_header_bytes=int(raw) if raw else cls.max_header_bytes,
            header_seconds=seconds(environ, "FEDTASKS_HEADER_TIMEOUT", cls.header_seconds),
            body_seconds=seconds(environ, "FEDTASKS_BODY_TIMEOUT", cls.body_seconds),
        )


@cache
def _settings() -> EdgeSettings:
    return EdgeSettings.from_env(os.environ)


class EdgeProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses oversized headers (431) and slow clients (408)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edge = _settings()
        self._reading_headers = True
        self._header_bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start the header timer: a connection that sends nothing is closed at its end."""
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm(self.edge.header_seconds)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the timer with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser; refuse the request once its headers pass the bound."""
        if self._refused:
            return
        super().data_received(data)
        if self._reading_headers and not self.transport.is_closing():
            # Only chunks that did not end the headers count, so a body in the same
            # chunk as the headers is never counted as header bytes.
            self._header_bytes += len(data)
            if self._header_bytes > self.edge.max_header_bytes:
                self._refuse(
                    431,
                    f"Request headers are over the limit of {self.edge.max_header_bytes} bytes.",
                )

    def on_message_begin(self) -> None:
        """A new request starts: its headers get the header timer."""
        super().on_message_begin()
        self._reading_headers = True
        self._header_bytes = 0
        if self._timer is None:
            self._arm(self.edge.header_seconds)

    def on_headers_complete(self) -> None:
        """Headers done: the body, if any, gets the body timer."""
        self._reading_headers = False
        self._disarm()
        super().on_headers_complete()
        self._arm(self.edge.body_seconds)

    def on_message_complete(self) -> None:
        """The whole request arrived: no timer until the next one starts."""
        self._disarm()
        super().on_message_complete()

    def _arm(self, delay: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(delay, self._expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self) -> None:
        self._timer = None
        what = "headers" if self._reading_headers else "body"
        if self.cycle is not None and not self.cycle.response_complete:
            if self.cycle.response_started:
                # An answer is on its way (the late part is a pipelined request): no 408
                # can be written in its middle.
                self.transport.close()
                return
            # The app's next receive() answers http.disconnect; its answer is dropped.
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self._refuse(408, f"The request {what} did not arrive in time.")

    def _refuse(self, status: int, message: str) -> None:
        """Answer ``status`` in plain text and close the connection."""
        self._refused = True
        self._disarm()
        if self.transport.is_closing():
            return
        body = message.encode()
        self.transport.write(
            b"HTTP/1.1 %d %s\r\n" % (status, STATUS_TEXT[status])
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: %d\r\n" % len(body)
            + b"connection: close\r\n\r\n"
            + body
        )
        self.transport.close()
