"""The router's log lines: one JSON object per line with time, level, logger, message,
request_id and extras (exception info as a string), or text; LOG_FORMAT picks."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from router.observability.context import RequestRecord, enter, leave
from router.observability.logging import configure_logging, log_format, log_handler


@pytest.fixture
def logger() -> Iterator[tuple[logging.Logger, io.StringIO, io.StringIO]]:
    """A logger writing to a JSON stream and a text stream, as the router's handler does."""
    json_stream, text_stream = io.StringIO(), io.StringIO()
    log = logging.getLogger("fedtasks.test.logging")
    handlers = [log_handler("json", json_stream), log_handler("text", text_stream)]
    for handler in handlers:
        log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log, json_stream, text_stream
    for handler in handlers:
        log.removeHandler(handler)


def test_a_line_names_the_request_it_was_logged_for(
    logger: tuple[logging.Logger, io.StringIO, io.StringIO],
) -> None:
    log, json_stream, text_stream = logger
    token = enter(RequestRecord(request_id="req-1"))
    try:
        log.info("hello %s", "world", extra={"operation": "GetMe", "status": 200})
    finally:
        leave(token)
    log.warning("between requests")

    inside, outside = (orjson.loads(line) for line in json_stream.getvalue().splitlines())
    assert set(inside) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "operation",
        "status",
    }
    assert inside["level"] == "info"
    assert inside["logger"] == "fedtasks.test.logging"
    assert inside["message"] == "hello world"
    assert inside["request_id"] == "req-1"
    assert inside["operation"] == "GetMe"
    assert inside["status"] == 200
    assert inside["time"].endswith("+00:00")
    assert outside["request_id"] is None
    assert outside["level"] == "warning"
    first, second = text_stream.getvalue().splitlines()
    assert first.endswith("INFO fedtasks.test.logging [req-1] hello world")
    assert second.endswith("WARNING fedtasks.test.logging [-] between requests")


def test_an_exception_is_one_string_field_of_one_line(
    logger: tuple[logging.Logger, io.StringIO, io.StringIO],
) -> None:
    log, json_stream, _ = logger
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        log.exception("failed")

    [line] = json_stream.getvalue().splitlines()
    record = orjson.loads(line)
    assert record["level"] == "error"
    assert record["exception"].startswith("Traceback (most recent call last):")
    assert record["exception"].endswith("ValueError: bad\nthing")


def test_values_json_cannot_hold_are_written_as_text(
    logger: tuple[logging.Logger, io.StringIO, io.StringIO],
) -> None:
    log, json_stream, _ = logger
    log.info("odd", extra={"thing": object(), "path": Path("/x")})
    record = orjson.loads(json_stream.getvalue())
    assert record["thing"].startswith("<object object")
    assert record["path"] == "/x"


@pytest.mark.parametrize(
    ("environ", "dev_mode", "expected"),
    [
        ({}, False, "json"),
        ({}, True, "text"),
        ({"LOG_FORMAT": "text"}, False, "text"),
        ({"LOG_FORMAT": "JSON"}, True, "json"),
    ],
)
def test_log_format_is_json_in_production_and_text_in_dev_unless_set(
    environ: dict[str, str], dev_mode: bool, expected: str
) -> None:
    assert log_format(environ, dev_mode=dev_mode) == expected


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="LOG_FORMAT must be json or text, got 'xml'"):
        log_format({"LOG_FORMAT": "xml"}, dev_mode=False)


def test_configure_logging_sends_everything_through_one_handler() -> None:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    try:
        configure_logging("json", "warning")
        [handler] = root.handlers
        assert root.level == logging.WARNING
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        assert isinstance(handler, logging.StreamHandler)
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
