"""Answer a batched POST: one JSON array holding each entry's response, in order.

Entries run one after another, in the order the client listed them (a mutation that a
later entry depends on has run by then), and each on its own: an entry that is refused or
fails puts its errors in its place and the others still run. The HTTP status is 200,
as no single status can tell the entries' outcomes apart (Apollo Router does the same);
each entry's body says what happened to it.

With rate limiting on, every entry counts: the request took one token, each entry after
the first takes another before it runs, and one past the caller's tokens gets RATE_LIMITED
in its place without running (router/server/rate_limit.py).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable

from starlette.responses import Response

from router.server.contract import NO_STORE, GraphQLRequest
from router.server.errors import RequestError
from router.server.http import VARY, Batch, encode_error
from router.server.rate_limit import (
    RATE_LIMITED,
    current_per_minute,
    limit_message,
    take_another,
)
from router.server.rate_limit_buckets import retry_after


async def batch_response(
    batch: Batch,
    respond: Callable[[GraphQLRequest], Awaitable[Response]],
    *,
    media_type: str,
) -> Response:
    """Run each entry with ``respond`` and join their bodies into one JSON array."""
    bodies: list[bytes] = []
    policies: set[str] = set()
    for index, entry in enumerate(batch.entries):
        if index and (wait := await take_another()) > 0:
            seconds = retry_after(wait)
            limited = RequestError(
                limit_message(current_per_minute(), seconds), status=429, code=RATE_LIMITED
            )
            response = encode_error(limited, media_type=media_type)
        elif isinstance(entry, GraphQLRequest):
            response = await respond(entry)
        else:
            response = encode_error(entry, media_type=media_type)
        bodies.append(bytes(response.body))
        policies.add(response.headers.get("cache-control", NO_STORE))
    policy = _strictest(policies)
    headers = {"Cache-Control": policy}
    if policy != NO_STORE:
        headers["Vary"] = VARY
    return Response(
        b"[" + b",".join(bodies) + b"]",
        media_type=f"{media_type}; charset=utf-8",
        headers=headers,
    )


_POLICY = re.compile(r"max-age=(\d+), (public|private)")


def _strictest(policies: Iterable[str]) -> str:
    """One ``Cache-Control`` for the whole array: never looser than any entry's own."""
    ages: list[int] = []
    private = False
    for policy in policies:
        match = _POLICY.fullmatch(policy)
        if match is None:
            return NO_STORE
        ages.append(int(match.group(1)))
        private = private or match.group(2) == "private"
    if not ages:
        return NO_STORE
    return f"max-age={min(ages)}, {'private' if private else 'public'}"
