"""A subgraph's log lines: JSON (production) or text (dev), each naming its request.

The router sends every subgraph call with ``x-request-id`` (and W3C ``traceparent``);
:class:`RequestLogMiddleware` keeps the id for the request's duration (a sane client id
as sent, else a fresh one), returns it in the response, and writes one access log line.
Every line logged meanwhile carries ``request_id`` and, when the caller sent a trace
context, its ``trace_id``, so one client request can be followed from the router's lines
to the subgraphs'. The router has the same format (router/observability/logging.py); the
two do not share code because subgraphs never import the router (DESIGN.md).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
FORMATS = ("json", "text")
# Probed every few seconds by orchestrators and scrapers: logged at debug level only.
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})

_SANE_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")
# W3C Trace Context, "traceparent Header": version-traceid-parentid-flags, in lower hex.
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")
_STANDARD = frozenset(
    {
        *logging.LogRecord("", 0, "", 0, "", None, None).__dict__,
        "message",
        "asctime",
        "request_id",
        "trace_id",
        "color_message",
    }
)

access_log = logging.getLogger("fedtasks.subgraph.access")


@dataclass(frozen=True)
class RequestLog:
    """What a subgraph's log lines say about the request they were written for."""

    request_id: str
    trace_id: str | None = None


_current: ContextVar[RequestLog | None] = ContextVar("fedtasks_subgraph_request", default=None)


def current_request() -> RequestLog | None:
    """The request being served, if any."""
    return _current.get()


def request_log_for(headers: Mapping[str, str]) -> RequestLog:
    """The request id (the caller's when sane, else new) and trace id of a request."""
    sent = headers.get(REQUEST_ID_HEADER)
    request_id = sent if sent is not None and _SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    match = _TRACEPARENT.fullmatch(headers.get("traceparent", ""))
    return RequestLog(request_id, match.group(1) if match else None)


class RequestLogMiddleware:
    """Keeps each request's id for its log lines, returns it, and logs the request."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request under its id."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = request_log_for(Headers(scope=scope))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request.request_id
            await send(message)

        token = _current.set(request)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope["path"]
            access_log.log(
                logging.DEBUG if path in QUIET_PATHS else logging.INFO,
                "%s %s %d",
                scope["method"],
                path,
                status,
                extra={
                    "service": self.service,
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_seconds": round(time.perf_counter() - started, 6),
                },
            )
            _current.reset(token)


class RequestContextFilter(logging.Filter):
    """Stamps each record, when emitted, with the request it was logged for."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``request_id`` and ``trace_id`` to ``record``; keep it."""
        request = _current.get()
        if not hasattr(record, "request_id"):
            record.request_id = request.request_id if request else None
        if request is not None and request.trace_id and not hasattr(record, "trace_id"):
            record.trace_id = request.trace_id
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line of ``record`` (the exception, if any, as a string field)."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if hasattr(record, "trace_id"):
            line["trace_id"] = record.trace_id
        line.update((k, v) for k, v in record.__dict__.items() if k not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """A record as a readable line with the request id in brackets."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The text line of ``record``."""
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


def log_format(environ: Mapping[str, str], *, dev_mode: bool) -> str:
    """``LOG_FORMAT`` if set (json or text; ValueError otherwise), else by mode."""
    value = environ.get("LOG_FORMAT", "").strip().lower()
    if not value:
        return "text" if dev_mode else "json"
    if value not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be json or text, got {value!r}")
    return value


def log_handler(format_name: str, stream: IO[str]) -> logging.Handler:
    """A handler writing to ``stream`` in ``format_name``, records stamped with the request."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if format_name == "json" else TextFormatter())
    handler.addFilter(RequestContextFilter())
    return handler


def configure_logging(format_name: str, level: str) -> None:
    """Send every logger's records to stderr in ``format_name``, from ``level`` up."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    root.handlers[:] = [log_handler(format_name, sys.stderr)]
