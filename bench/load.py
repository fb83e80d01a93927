"""Closed-loop load: N clients each send one request, wait for its answer, send the next.

Throughput is the answers per second over a fixed time window; an answer that is not a
200 GraphQL response without errors counts as a failure, not as throughput.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
import orjson

HEADERS = {"content-type": "application/json", "accept": "application/json"}


@dataclass(frozen=True)
class Throughput:
    """What one load run measured."""

    requests: int
    failures: int
    seconds: float
    latencies: tuple[float, ...]
    first_failure: str | None

    @property
    def per_second(self) -> float:
        """Successful answers per second."""
        return self.requests / self.seconds if self.seconds else 0.0


async def _client(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    until: float,
    latencies: list[float],
    failures: list[str],
) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            answer = await client.post(url, content=body, headers=HEADERS)
        except httpx.HTTPError as error:
            failures.append(f"{type(error).__name__}: {error}")
            continue
        elapsed = time.perf_counter() - started
        # A cheap check on every answer; the full one is done once before the run.
        if answer.status_code == 200 and b'"errors"' not in answer.content:
            latencies.append(elapsed)
        else:
            failures.append(f"HTTP {answer.status_code}: {answer.text[:300]}")


async def _load(url: str, query: str, *, clients: int, seconds: float) -> Throughput:
    body = orjson.dumps({"query": query})
    latencies: list[float] = []
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(_client(client, url, body, until, latencies, failures) for _ in range(clients))
        )
        elapsed = time.perf_counter() - started
    return Throughput(
        requests=len(latencies),
        failures=len(failures),
        seconds=elapsed,
        latencies=tuple(latencies),
        first_failure=failures[0] if failures else None,
    )


def throughput(url: str, query: str, *, clients: int, seconds: float) -> Throughput:
    """Load ``url`` with ``query`` from ``clients`` concurrent clients for ``seconds``."""
    return asyncio.run(_load(url, query, clients=clients, seconds=seconds))
