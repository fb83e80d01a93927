"""Request size limits: a body is read chunk by chunk and refused as soon as it is too large.

A body over the limit answers 413 with REQUEST_TOO_LARGE, and is never held whole: a
``Content-Length`` over the limit is refused before reading anything, and a body sent in
chunks is refused at the chunk that crosses the limit. A GET carries its request in the
query string, which the same limit bounds (414).
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Final

from starlette.requests import ClientDisconnect, Request

from router.server.errors import RequestError

REQUEST_TOO_LARGE: Final = "REQUEST_TOO_LARGE"


def _too_large(limit: int, *, status: int = 413, what: str = "body") -> RequestError:
    return RequestError(
        f"Request {what} too large: more than the limit of {limit} bytes.",
        status=status,
        code=REQUEST_TOO_LARGE,
    )


async def read_body(request: Request, limit: int | None) -> bytes:
    """The request's body, or RequestError (413) once it is over ``limit`` bytes (None: any)."""
    try:
        if limit is None:
            return await request.body()
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        async with aclosing(request.stream()) as stream:
            async for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
        return b"".join(chunks)
    except ClientDisconnect:
        raise RequestError("The client went away before sending the whole body.") from None


def check_query_string(request: Request, limit: int | None) -> None:
    """Refuse (414) a query string over ``limit`` bytes: a GET's request is there."""
    if limit is not None and len(request.scope.get("query_string", b"")) > limit:
        raise _too_large(limit, status=414, what="query string")
