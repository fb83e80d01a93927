"""Request ids: the client's ``x-request-id`` when it is sane, else a fresh one.

A client's id is kept only when it is short and made of characters that cannot break a
log line or a header (no spaces, quotes or control characters); anything else is replaced,
so a hostile id never reaches the logs or the subgraphs.
"""

from __future__ import annotations

import re
import uuid

REQUEST_ID_HEADER = "x-request-id"
"""The header that carries the request id, in requests and in responses."""

MAX_LENGTH = 128

_SANE = re.compile(rf"[A-Za-z0-9._:/+=@-]{{1,{MAX_LENGTH}}}")


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it is usable as a request id as sent, else None."""
    if value is not None and _SANE.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    """A fresh request id (a random UUID in hex)."""
    return uuid.uuid4().hex


def request_id_for(client_value: str | None) -> str:
    """The id of a request whose ``x-request-id`` header is ``client_value`` (or absent)."""
    return sane_request_id(client_value) or new_request_id()
