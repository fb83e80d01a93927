"""Failed logins limited per email: after too many in a window, that email's logins are refused.

Counted for every email tried, whether an account has it or not (so a refusal tells
nothing about accounts), and refused before any password is checked (RATE_LIMITED), the
right one included, until the window that counted the failures ends. A successful login
does not reset the count: an attacker who guessed right once learns nothing more.

In Redis when ``REDIS_URL`` is set, so replicas share the counts (a key per email,
``INCR`` and an expiry set with the first failure); in this process otherwise, for a
bounded number of emails. Per client address, logins are bounded at the router: its
rate limit counts every operation (batched ones too) and the users subgraph refuses a
second login or signUp in one operation (``subgraphs.users.api.auth``).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Protocol

from redis.asyncio import Redis

from subgraphs.common.errors import PublicError

RATE_LIMITED: Final = "RATE_LIMITED"
MAX_FAILURES: Final = 5
WINDOW_SECONDS: Final = 900


class TooManyLogins(PublicError):
    """Too many failed logins for one email in the window."""

    code = RATE_LIMITED


class LoginAttempts(Protocol):
    """Counts failed logins per email."""

    async def blocked(self, email: str) -> bool:
        """Whether this email has used up its failures for the window."""
        ...

    async def failed(self, email: str) -> None:
        """Count a failed login for this email."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def _key(email: str) -> str:
    # The email itself is not stored, only its digest.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class MemoryLoginAttempts:
    """Counts in this process, for at most ``max_keys`` emails (least recently seen go)."""

    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self.clock = clock
        self._counts: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def _current(self, key: str) -> int:
        entry = self._counts.get(key)
        if entry is None:
            return 0
        count, ends = entry
        if self.clock() >= ends:
            del self._counts[key]
            return 0
        return count

    async def blocked(self, email: str) -> bool:
        """Whether this email has used up its failures for the window."""
        return self._current(_key(email)) >= self.max_failures

    async def failed(self, email: str) -> None:
        """Count a failed login for this email."""
        key = _key(email)
        count = self._current(key)
        ends = self._counts[key][1] if count else self.clock() + self.window_seconds
        self._counts[key] = (count + 1, ends)
        self._counts.move_to_end(key)
        while len(self._counts) > self.max_keys:
            self._counts.popitem(last=False)

    async def aclose(self) -> None:
        """Nothing to release."""


class RedisLoginAttempts:
    """Counts in Redis, shared by every replica of the users subgraph."""

    def __init__(
        self,
        url: str,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: int = WINDOW_SECONDS,
        namespace: str = "fedtasks:login-failures:",
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.namespace = namespace
        self._redis: Redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    async def blocked(self, email: str) -> bool:
        """Whether this email has used up its failures for the window."""
        raw = await self._redis.get(self.namespace + _key(email))
        return raw is not None and int(raw) >= self.max_failures

    async def failed(self, email: str) -> None:
        """Count a failed login for this email (the first one starts the window)."""
        key = self.namespace + _key(email)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.window_seconds, nx=True)
            await pipe.execute()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def login_attempts(redis_url: str | None) -> LoginAttempts:
    """Redis-backed counts when ``redis_url`` is set, else in-process ones."""
    if redis_url:
        return RedisLoginAttempts(redis_url)
    return MemoryLoginAttempts()
