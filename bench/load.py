"""Closed-loop load: N clients each send one request, wait for its answer, send the next.

Throughput is the answers per second over a fixed time window; an answer that is not a
200 GraphQL response without errors counts as a failure, not as throughput. Each client
follows its own schedule of request bodies, over and over (one query for every client, or
a read/write mix in which each client writes its own data).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Mapping, Sequence
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
    schedule: Sequence[bytes],
    until: float,
    latencies: list[float],
    failures: list[str],
) -> None:
    for body in itertools.cycle(schedule):
        if time.perf_counter() >= until:
            return
        started = time.perf_counter()
        try:
            answer = await client.post(url, content=body)
        except httpx.HTTPError as error:
            failures.append(f"{type(error).__name__}: {error}")
            continue
        elapsed = time.perf_counter() - started
        # A cheap check on every answer; the full one is done once before the run.
        if answer.status_code == 200 and b'"errors"' not in answer.content:
            latencies.append(elapsed)
        else:
            failures.append(f"HTTP {answer.status_code}: {answer.text[:300]}")


async def run_load(
    url: str,
    schedules: Sequence[Sequence[bytes]],
    *,
    seconds: float,
    headers: Mapping[str, str] | None = None,
) -> Throughput:
    """Load ``url`` for ``seconds`` with one client per schedule, each cycling through its own.

    ``headers`` are sent with every request, on top of the JSON content type.
    """
    latencies: list[float] = []
    failures: list[str] = []
    clients = len(schedules)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    sent = {**HEADERS, **(headers or {})}
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=sent) as client:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(_client(client, url, s, until, latencies, failures) for s in schedules)
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
    body = orjson.dumps({"query": query})
    return asyncio.run(run_load(url, [(body,)] * clients, seconds=seconds))
