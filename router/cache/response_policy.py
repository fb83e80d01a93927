"""The ``Cache-Control`` of the router's answer to a client, from the fetches that made it.

As Apollo Router does with its subgraphs' policies: the answer may be cached for the
shortest ``max-age`` among its fetches (what a cache hit has left of its TTL counts as its
age), ``private`` if any part was private or was fetched for a signed-in caller without
being declared public, and ``no-store`` for mutations, answers with errors, answers with
a part nothing allows caching, and answers no fetch made. So a CDN or browser cache in
front of the router is never told to share identity-dependent data.

The pipeline opens a :class:`ResponsePolicy` per request (:func:`collecting`); the caching
transport, which sees every fetch, adds each fetch's effective policy to the one the
current asyncio context holds (the executor's tasks inherit it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final

from router.cache.policy import CacheControl, Storage

NO_STORE: Final = "no-store"
NOT_STORED: Final = CacheControl(no_store=True)


def effective(storage: Storage | None) -> CacheControl:
    """The policy an answer stored as ``storage`` says (None: not stored) gives the client."""
    if storage is None:
        return NOT_STORED
    shared = not storage.per_identity
    return CacheControl(max_age=storage.ttl, private=not shared, public=shared)


def strictest(controls: Sequence[CacheControl]) -> CacheControl:
    """One policy for an answer put together from several parts (hits and a fetch)."""
    if not controls or any(c.no_store or c.max_age is None for c in controls):
        return NOT_STORED
    private = any(c.private or not c.public for c in controls)
    max_age = min(c.max_age for c in controls if c.max_age is not None)
    return CacheControl(max_age=max_age, private=private, public=not private)


@dataclass
class ResponsePolicy:
    """The policies of one request's fetches, folded as they arrive."""

    max_age: float | None = None
    private: bool = False
    uncacheable: bool = False
    fetches: int = 0

    def add(self, control: CacheControl) -> None:
        """Fold in one fetch's effective policy."""
        self.fetches += 1
        if control.no_store or control.max_age is None or control.max_age < 1:
            self.uncacheable = True
            return
        self.max_age = (
            control.max_age if self.max_age is None else min(self.max_age, control.max_age)
        )
        self.private = self.private or control.private or not control.public

    def header(self, *, mutation: bool, errors: bool) -> str:
        """The ``Cache-Control`` value for the client's answer."""
        if mutation or errors or self.uncacheable or self.max_age is None:
            return NO_STORE
        scope = "private" if self.private else "public"
        return f"max-age={math.floor(self.max_age)}, {scope}"


_current: ContextVar[ResponsePolicy | None] = ContextVar("fedtasks_response_policy", default=None)


def note_fetch_policy(control: CacheControl) -> None:
    """Add a fetch's policy to the request being served (nothing outside a request)."""
    policy = _current.get()
    if policy is not None:
        policy.add(control)


@contextmanager
def collecting() -> Iterator[ResponsePolicy]:
    """Collect the policies of the fetches run inside the block (and the tasks it starts)."""
    policy = ResponsePolicy()
    token = _current.set(policy)
    try:
        yield policy
    finally:
        _current.reset(token)
