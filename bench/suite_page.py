"""The benchmark suite's results page (docs/bench-suite.md): its tables with their context."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from memory import Memory
from report import markdown_table
from stack import Dataset
from suite_report import ScenarioResult, failed, tables


@dataclass(frozen=True)
class RunInfo:
    """How the suite ran: what the page says around its tables."""

    dataset: Dataset
    clients: int
    seconds: float
    warmup: float
    requests: int
    latency_warmup: int
    statement_requests: int
    entity_cache: bool
    routers: Mapping[str, int]  # router target -> worker processes
    load_average: tuple[float, float]  # 1-minute load average before and after
    versions: Mapping[str, str]  # python, node, gateway, server, commit
    chart: str  # the chart's file name, next to the page


def page(
    results: list[ScenarioResult],
    info: RunInfo,
    memory: tuple[Mapping[str, Memory], Mapping[str, Memory]],
) -> str:
    """The markdown page of one suite run."""
    v = info.versions
    routers = list(info.routers)
    table = {name: markdown_table(rows) for name, rows in tables(results, routers, *memory).items()}
    data = info.dataset
    workloads = "\n".join(f"- {r.name}: {r.description}" for r in results)
    described = ", ".join(f"`{name}` ({count})" for name, count in info.routers.items())
    cache = "on" if info.entity_cache else "off (`FEDTASKS_ENTITY_CACHE=off`, like the gateway)"
    failures = "\n".join(f"- {line}" for line in failed(results)) or "None."
    return f"""# Benchmark suite

Written by `bench/suite.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (commit {v["commit"]});
run it again rather than editing this page. How it measures: `bench/README.md`.

Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {v["python"]},
Node {v["node"]}. Every process below and the load client share those CPUs; the 1-minute
load average was {info.load_average[0]:.2f} before the run and {info.load_average[1]:.2f}
after it (other work on the machine skews the figures).

Stack: Postgres (one fresh database per subgraph, `fedtasks seed --users {data.users}
--tasks {data.tasks} --seed {data.seed}`), a private redis-server shared by the routers,
every process in production mode (subgraphs accept only the router's secret; the routers
and Apollo's gateway verify an HS256 token sent with every request and pass the identity
on). Routers, with their worker processes: {described}; entity cache {cache}; rate limit
off. Apollo: `@apollo/gateway` {v["gateway"]} in `@apollo/server` {v["server"]}, on the
same supergraph file and subgraphs.

Workloads:

{workloads}

![throughput, latency and memory]({info.chart})

## Throughput and latency under load

{info.clients} concurrent closed-loop clients (keep-alive) for {info.seconds:g} s per target
and workload, after {info.warmup:g} s of untimed load. A failed request (not a 200 without
`errors`) is counted, not timed. SQL statements per request are counted from the
subgraphs' `fedtasks_db_statements_total` over {info.statement_requests} requests sent one at
a time (whole cycles of a client's schedule), before the load.

{table["load"]}

## Worker processes, and the router against Apollo's gateway

{table["scaling"]}

## The router over the direct subgraph calls of its plan

{info.requests} sequential requests after {info.latency_warmup} untimed ones, alternating
between the `{routers[0]}` router and the plan's subgraph calls sent straight to the
subgraphs (as `bench/router_latency.py` does); the mix writes, so it is left out.

{table["overhead"]}

## Memory per process

RSS of each service's whole process tree (a router with workers is its supervisor and its
workers), from /proc, after start-up and after the last load run; the peak is the sum of
each process's high-water mark. Postgres is a shared server, not measured.

{table["memory"]}

## Failed requests

{failures}
"""
