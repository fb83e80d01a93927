"""Retries of query fetches that failed before the subgraph gave a GraphQL answer.

Only queries are retried: a mutation the subgraph may already have applied must not be
sent twice, so a request flagged ``mutation`` goes through once. Only failures that say
nothing was answered are retried: unreachable, timed out, or a 5xx that is not a GraphQL
response (a proxy's "502 Bad Gateway"). A GraphQL answer, even one full of errors, is the
subgraph's answer and is returned as it is; a 4xx is a request the subgraph refuses and
would refuse again. The waits between attempts follow :mod:`router.transport.backoff`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from router.transport.backoff import full_jitter
from router.transport.base import (
    SubgraphRequest,
    SubgraphResponse,
    SubgraphTransport,
    TransportError,
)
from router.transport.settings import RetrySettings

RETRYABLE_CODES = frozenset({"SUBGRAPH_UNAVAILABLE", "SUBGRAPH_TIMEOUT"})

Sleep = Callable[[float], Awaitable[None]]
RetryHook = Callable[[str], None]


def is_retryable(error: TransportError) -> bool:
    """Whether the call may be sent again: nothing answered, or a non-GraphQL 5xx."""
    if error.code in RETRYABLE_CODES:
        return True
    status = error.status
    return error.code == "SUBREQUEST_HTTP_ERROR" and status is not None and status >= 500


class RetryingTransport:
    """Wraps a transport; sends a failed query again, up to ``settings.retries`` times.

    ``sleep`` and ``rand`` are injectable so tests can check the waits without waiting;
    ``on_retry`` is called with the subgraph's name before each retry (metrics).
    """

    def __init__(
        self,
        inner: SubgraphTransport,
        settings: RetrySettings,
        *,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        on_retry: RetryHook | None = None,
    ) -> None:
        self.inner = inner
        self.settings = settings
        self._sleep = sleep
        self._rand = rand
        self._on_retry = on_retry

    async def send(self, subgraph: str, request: SubgraphRequest) -> SubgraphResponse:
        """Send ``request``; on a retryable failure of a query, wait and send it again."""
        if request.mutation:
            return await self.inner.send(subgraph, request)
        attempt = 0
        while True:
            try:
                return await self.inner.send(subgraph, request)
            except TransportError as error:
                if attempt >= self.settings.retries or not is_retryable(error):
                    raise
            wait = full_jitter(
                attempt,
                base=self.settings.base_seconds,
                cap=self.settings.max_seconds,
                rand=self._rand,
            )
            attempt += 1
            if self._on_retry is not None:
                self._on_retry(subgraph)
            await self._sleep(wait)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
