"""Benchmark: the router with a warm entity cache against the router without one.

For the two queries of the router benchmark, in one run on one stack (bench/stack.py):
throughput and latency of the router with its entity cache off and of a second router
with the cache on and warm, and how many subgraph requests each answer cost (from the
subgraphs' own ``fedtasks_http_requests_total``). Target: the warm cache gives at least 5
times the throughput. Writes docs/bench-cache.md.

    .venv/bin/python bench/cache_throughput.py [--seconds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from load import Throughput, throughput
from report import markdown_table, percentile, text_table
from router_latency import QUERIES, reader_headers
from stack import Dataset, Stack, StackError, running_stack
from subgraph_metrics import graphql_requests

TARGET = 5.0
DEFAULT_OUTPUT = Path("docs/bench-cache.md")


@dataclass(frozen=True)
class Side:
    """One router's load run and what it cost the subgraphs."""

    load: Throughput
    subgraph_requests: int

    @property
    def per_answer(self) -> float:
        """Subgraph requests per client answer."""
        return self.subgraph_requests / self.load.requests if self.load.requests else 0.0


def subgraph_requests(stack: Stack) -> int:
    """GraphQL requests the two subgraphs have served so far."""
    urls = {"users": stack.users, "tasks": stack.tasks}
    return graphql_requests(urls, stack.subgraph_headers)


def measure(stack: Stack, url: str, query: str, args: argparse.Namespace) -> Side:
    """Warm up, then load ``url`` as a signed-in reader and count the subgraph requests made.

    Signed in, as the queries read emails; the users' entities come back ``private`` and
    are cached under the reader's identity, the tasks' ``public`` and shared.
    """
    with httpx.Client(timeout=30) as client:
        headers = reader_headers(client, url, stack.jwt_secret)
    throughput(url, query, clients=args.clients, seconds=args.warmup, headers=headers)
    before = subgraph_requests(stack)
    load = throughput(url, query, clients=args.clients, seconds=args.seconds, headers=headers)
    return Side(load, subgraph_requests(stack) - before)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args(argv)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def rows(results: dict[str, tuple[Side, Side]]) -> list[list[str]]:
    """The results table: one row per query."""
    out = [
        [
            "query",
            "no cache req/s",
            "warm cache req/s",
            "ratio (target >= 5)",
            "no cache p50 ms",
            "warm p50 ms",
            "warm p95 ms",
            "subgraph requests/answer (no cache)",
            "subgraph requests/answer (warm)",
            "failed requests",
            "verdict",
        ]
    ]
    for name, (plain, cached) in results.items():
        ratio = cached.load.per_second / plain.load.per_second if plain.load.per_second else 0.0
        out.append(
            [
                name,
                f"{plain.load.per_second:.1f}",
                f"{cached.load.per_second:.1f}",
                f"{ratio:.2f}",
                _ms(percentile(plain.load.latencies, 50)),
                _ms(percentile(cached.load.latencies, 50)),
                _ms(percentile(cached.load.latencies, 95)),
                f"{plain.per_answer:.3f}",
                f"{cached.per_answer:.4f}",
                str(plain.load.failures + cached.load.failures),
                "met" if ratio >= TARGET else "MISSED",
            ]
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when the target is met, 1 when not, 2 on setup errors."""
    args = _arguments(argv)
    dataset = Dataset(users=args.users, tasks=args.tasks, seed=args.seed)
    backend = "Redis at REDIS_URL" if os.environ.get("REDIS_URL") else "the in-process cache"
    try:
        with running_stack(dataset) as stack:
            results = {
                name: (
                    measure(stack, stack.router, query, args),
                    measure(stack, stack.cached, query, args),
                )
                for name, query in QUERIES.items()
            }
    except StackError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    table = rows(results)
    print(text_table(table))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    queries = "\n".join(f"- {name}: `{query}`" for name, query in QUERIES.items())
    page = f"""# Entity cache benchmark

Written by `bench/cache_throughput.py` on {when} (commit {commit}); run it again rather
than editing this page.

Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python
{platform.python_version()}; both subgraphs, both routers and the load client share them.
Data: SQLite, `fedtasks seed --users {args.users} --tasks {args.tasks} --seed {args.seed}`.
Cache: {backend}.

{queries}

{args.clients} concurrent clients for {args.seconds:g} s per router after {args.warmup:g} s
of untimed load (which also warms the cache). "No cache" is `fedtasks router` with
`FEDTASKS_ENTITY_CACHE=off`; "warm cache" is a second `fedtasks router` with its default
cache. Subgraph requests per answer come from the subgraphs' own request counters.

{markdown_table(table)}
"""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0 if all(row[-1] == "met" for row in table[1:]) else 1


if __name__ == "__main__":
    sys.exit(main())
