#!/usr/bin/env python3
"""A burst of concurrent connections to a router on a Redis that keeps pausing: no 5xx.

Starts the stack in production mode on SQLite with a private ``redis-server`` as the
router's cache (bench/redis_server.py), then for each client count (500 and 1,500 by
default) keeps that many connections each with one request in flight for ``--seconds``,
while Redis is paused (``CLIENT PAUSE``, 300 ms) every 600 ms. Every answer must be a
complete 200 GraphQL response: the cache fails open. Prints the answers, the failures (and
the first one), p50 and p99 per client count, and exits 1 if any request failed.

    .venv/bin/python bench/redis_burst.py                  # about a minute
    .venv/bin/python bench/redis_burst.py --clients 500 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from pathlib import Path

import orjson
import redis
from load import Throughput, run_load
from redis_server import redis_server
from report import percentile, text_table
from stack import Dataset, RouterSpec, StackError, running_stack

QUERY = "{ tasks(first: 5) { edges { node { title assignee { name } } } } }"
PAUSE_MS = 300


def _pause_until(url: str, done: threading.Event) -> None:
    """Pause every client of the Redis at ``url`` for PAUSE_MS, every 2 x PAUSE_MS."""
    with redis.Redis.from_url(url) as client:
        while not done.is_set():
            client.execute_command("CLIENT", "PAUSE", str(PAUSE_MS), "ALL")
            done.wait(PAUSE_MS * 2 / 1000)


def burst(router: str, redis_url: str, clients: int, seconds: float) -> Throughput:
    """``clients`` connections on ``router`` for ``seconds`` while Redis keeps pausing."""
    done = threading.Event()
    pauser = threading.Thread(target=_pause_until, args=(redis_url, done))
    body = orjson.dumps({"query": QUERY})
    pauser.start()
    try:
        return asyncio.run(run_load(router, [(body,)] * clients, seconds=seconds))
    finally:
        done.set()
        pauser.join()


def measure(counts: list[int], seconds: float) -> list[tuple[int, Throughput]]:
    """Start the stack on a private Redis and run one burst per client count."""
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="fedbench-redis-") as directory,
        redis_server(Path(directory)) as server,
    ):
        env = {"REDIS_URL": server.url, "FEDTASKS_RATE_LIMIT": "0"}
        dataset = Dataset(users=20, tasks=200, seed=1)
        routers = {"router": RouterSpec()}
        with running_stack(dataset, env=env, routers=routers, gateway=False) as stack:
            for clients in counts:
                results.append((clients, burst(stack.router, server.url, clients, seconds)))
    return results


def main() -> int:
    """Run the bursts and print what they measured; 1 if a request failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, action="append", help="(repeatable)")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    try:
        results = measure(args.clients or [500, 1500], args.seconds)
    except StackError as problem:
        print(f"redis_burst: {problem}", file=sys.stderr)
        return 2
    rows = [["clients", "answers", "failed", "p50 ms", "p99 ms", "first failure"]]
    for clients, result in results:
        rows.append(
            [
                str(clients),
                str(result.requests),
                str(result.failures),
                f"{percentile(result.latencies, 50) * 1000:.1f}",
                f"{percentile(result.latencies, 99) * 1000:.1f}",
                (result.first_failure or "")[:80],
            ]
        )
    print(text_table(rows))
    return 1 if any(result.failures for _, result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
