"""The benchmark suite: the stack on Postgres and Redis, four workloads, three targets.

For each workload (Q1, Q2, a single-entity lookup, a 90/10 read/write mix; see
``workloads.py``) and each target (``fedtasks router`` with 1 and with 2 worker
processes, Apollo's gateway, all on the same subgraphs and supergraph): SQL statements
per request, throughput and p50/p95/p99 latency under closed-loop load, and for the
reads the router's latency over the direct subgraph calls of its plan; the memory of
every process before and after. Writes docs/bench-suite.md and a PNG chart beside it.

    .venv/bin/python bench/suite.py            # a few minutes; see bench/README.md

Exits 0 when every request succeeded, 1 when one failed or an answer was wrong, 2 when
the stack could not be set up.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import sys
from collections.abc import Mapping

import httpx
from charts import suite_chart
from load import HEADERS, Throughput, run_load
from memory import Memory, snapshot
from plan_replay import ReplayError
from production_stack import (
    checked_stack_options,
    production_stack,
    router_specs,
    stack_parser,
)
from report import text_table
from router_latency import WrongAnswer, load_average, sampled_latencies, stopped, versions
from stack import ROOT, RouterSpec, Stack, StackError
from subgraph_metrics import statements
from suite_page import RunInfo, page
from suite_report import GATEWAY, LoadRun, Overhead, ScenarioResult, failed, tables
from workloads import Fixture, Scenario, prepare, scenarios

Memories = Mapping[str, Memory]
WORKLOADS = ("Q1", "Q2", "lookup", "mix")
LIFETIME = 6 * 3600.0  # seconds; longer than any bounded run


def _names(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}")
    return names


def _workers(value: str) -> tuple[int, ...]:
    counts = tuple(int(v) for v in value.split(",") if v.strip().isdigit())
    if not counts or min(counts) < 1 or len(counts) != len(value.split(",")):
        raise argparse.ArgumentTypeError("a comma-separated list of worker counts, e.g. 1,2")
    return counts


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The suite's options (bounded: every run ends)."""
    parser = stack_parser(__doc__, ROOT / "docs" / "bench-suite.md", clients=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="load per target (s)")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed load first (s)")
    parser.add_argument("--requests", type=int, default=200, help="sequential latency samples")
    parser.add_argument("--latency-warmup", type=int, default=30, help="untimed samples first")
    parser.add_argument(
        "--statement-requests", type=int, default=20, help="requests counted for SQL statements"
    )
    parser.add_argument(
        "--workloads",
        type=lambda v: _names(v, WORKLOADS),
        default=WORKLOADS,
        help="comma-separated, of " + ",".join(WORKLOADS),
    )
    parser.add_argument(
        "--workers", type=_workers, default=(1, 2), help="router worker counts to compare"
    )
    args = parser.parse_args(argv)
    args.dataset = checked_stack_options(parser, args)
    if not (0 < args.seconds <= 120 and 0 <= args.warmup <= 60):
        parser.error("keep runs bounded: at most 120 s of load and 60 s of warm-up per target")
    if not (1 <= args.requests <= 10_000 and 1 <= args.clients <= 256):
        parser.error("--requests must be 1-10000 and --clients 1-256")
    if args.statement_requests < 1 or args.latency_warmup < 0:
        parser.error("--statement-requests must be positive, --latency-warmup not negative")
    return args


def _statements(
    client: httpx.Client, stack: Stack, url: str, scenario: Scenario, count: int, fixture: Fixture
) -> dict[str, float]:
    """SQL statements per request, by subgraph, over whole cycles of the first schedule."""
    schedule = scenario.schedules[0]
    total = math.ceil(count / len(schedule)) * len(schedule)
    subgraphs = {"users": stack.users, "tasks": stack.tasks}
    before = statements(subgraphs, stack.subgraph_headers)
    headers = {**HEADERS, **fixture.headers}
    for body in itertools.islice(itertools.cycle(schedule), total):
        response = client.post(url, content=body, headers=headers)
        if response.status_code != 200 or b'"errors"' in response.content:
            raise WrongAnswer(f"{scenario.name}: {url} answered {response.text[:500]}")
    after = statements(subgraphs, stack.subgraph_headers)
    return {name: (after[name] - before[name]) / total for name in subgraphs}


def _load(url: str, scenario: Scenario, args: argparse.Namespace, fixture: Fixture) -> Throughput:
    """Untimed load, then the measured run."""
    if args.warmup:
        asyncio.run(run_load(url, scenario.schedules, seconds=args.warmup, headers=fixture.headers))
    return asyncio.run(
        run_load(url, scenario.schedules, seconds=args.seconds, headers=fixture.headers)
    )


def _measure(
    client: httpx.Client,
    stack: Stack,
    scenario: Scenario,
    fixture: Fixture,
    args: argparse.Namespace,
    targets: list[str],
) -> ScenarioResult:
    print(f"{scenario.name}: {scenario.description}", flush=True)
    counts = {
        target: _statements(
            client, stack, stack.urls[target], scenario, args.statement_requests, fixture
        )
        for target in targets
    }
    overhead = None
    if scenario.probe is not None:
        query, variables = scenario.probe
        calls, router, direct = sampled_latencies(
            client,
            stack,
            scenario.name,
            query,
            warmup=args.latency_warmup,
            requests=args.requests,
            variables=variables,
            headers=fixture.headers,
        )
        overhead = Overhead(calls, router, direct)
        print(f"  router/direct p50 latency: {overhead.ratio:.2f}", flush=True)
    runs = {}
    for target in targets:
        measured = _load(stack.urls[target], scenario, args, fixture)
        print(
            f"  {target}: {measured.per_second:.1f} req/s ({measured.failures} failed)", flush=True
        )
        runs[target] = LoadRun(
            per_second=measured.per_second,
            latencies=measured.latencies,
            failures=measured.failures,
            first_failure=measured.first_failure,
            statements=counts[target],
        )
    return ScenarioResult(scenario.name, scenario.description, runs, overhead)


def run_info(
    args: argparse.Namespace, load: tuple[float, float], found: Mapping[str, str]
) -> RunInfo:
    """What the page says about the run: its options, the load average, the versions."""
    routers = router_specs(args.workers, entity_cache=args.entity_cache)
    return RunInfo(
        dataset=args.dataset,
        clients=args.clients,
        seconds=args.seconds,
        warmup=args.warmup,
        requests=args.requests,
        latency_warmup=args.latency_warmup,
        statement_requests=args.statement_requests,
        entity_cache=args.entity_cache,
        routers=dict(zip(routers, args.workers, strict=True)),
        load_average=load,
        versions=found,
        chart=args.chart.name,
    )


def _run(
    args: argparse.Namespace, routers: dict[str, RouterSpec]
) -> tuple[list[ScenarioResult], Memories, Memories]:
    """Start the stack, measure every workload; the results and memory before and after."""
    targets = [*routers, GATEWAY]
    with production_stack(
        args.dataset, admin_url=args.postgres, routers=routers, gateway=True
    ) as stack:
        print(f"stack up: {', '.join(f'{n} {u}' for n, u in stack.urls.items())}", flush=True)
        start = snapshot(stack.pids)
        with httpx.Client(timeout=30) as client:
            fixture = prepare(
                client, stack.router, stack.jwt_secret, clients=args.clients, lifetime=LIFETIME
            )
            results = [
                _measure(client, stack, scenario, fixture, args, targets)
                for scenario in scenarios(fixture, args.clients, args.workloads)
            ]
        return results, start, snapshot(stack.pids)


def main(argv: list[str] | None = None) -> int:
    """Run the suite; 0 when every request succeeded, 1 when not, 2 on setup errors."""
    args = arguments(argv)
    routers = router_specs(args.workers, entity_cache=args.entity_cache)
    load_before = load_average("before")
    try:
        results, start, end = _run(args, routers)
    except (StackError, ReplayError, WrongAnswer) as problem:
        return stopped(problem)
    load_after = load_average("after")
    for rows in tables(results, list(routers), start, end).values():
        print(text_table(rows), end="\n\n")
    info = run_info(args, (load_before, load_after), versions())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page(results, info, (start, end)), encoding="utf-8")
    suite_chart(args.chart, results, end, f"fedtasks benchmark suite ({info.versions['commit']})")
    print(f"wrote {args.output} and {args.chart}")
    problems = failed(results)
    for line in problems:
        print(f"FAILED: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
