"""The router's log lines: one JSON object per line (production) or plain text (dev).

Every line names the request it was written for (``request_id``, from the request
record) and, while the router traces, the trace and span, so the lines of one request can
be found across the router and the subgraphs. ``LOG_FORMAT`` picks the format (``json``
or ``text``); unset, production logs JSON and dev mode text. uvicorn's own loggers
propagate here (it is started with no log config of its own).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from opentelemetry.trace import get_current_span

from router.observability.context import current_request_id

FORMATS = ("json", "text")

# What every LogRecord has; anything else on a record came with ``extra=`` and is logged.
_STANDARD = frozenset(
    {
        *logging.LogRecord("", 0, "", 0, "", None, None).__dict__,
        "message",
        "asctime",
        "request_id",
        "trace_id",
        "span_id",
        # uvicorn's copy of the message with ANSI colours.
        "color_message",
    }
)


class RequestContextFilter(logging.Filter):
    """Stamps each record with the request id (and trace) current where it was logged.

    A handler filter runs when the record is emitted, in the logging request's context; a
    formatter may run later (a queue, a test's capture), when that context is gone.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``request_id``, ``trace_id`` and ``span_id`` to ``record``; keep it."""
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        context = get_current_span().get_span_context()
        if context.is_valid and not hasattr(record, "trace_id"):
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
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
            line["span_id"] = getattr(record, "span_id", None)
        for name, value in record.__dict__.items():
            if name not in _STANDARD:
                line[name] = value
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
    # httpx logs every subgraph call at info; the router's metrics and spans cover them.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
