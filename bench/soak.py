"""A bounded soak run: steady read/write load on the router, memory of every process over time.

The stack of the suite (Postgres, a private Redis, production mode), with one router and
no gateway, takes the suite's 90/10 read/write mix from a few closed-loop clients for
``--minutes``; the RSS of every process is sampled every ``--interval`` seconds. The run
fails when the router's memory keeps growing (criterion: ``growth.py``, stated in the
output). Writes docs/bench-suite-soak.md and a PNG chart beside it.

    .venv/bin/python bench/soak.py --minutes 10      # the default; --minutes 1 for a smoke run

Exits 0 when the router's memory levels off and every request succeeded, 1 when it keeps
growing or a request failed, 2 when the stack could not be set up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime

import httpx
from charts import soak_chart
from growth import DEFAULT_MAX_SLOPE, DEFAULT_MIN_GROWTH, Criterion
from load import Throughput, run_load
from memory import snapshot
from production_stack import (
    checked_stack_options,
    production_stack,
    router_specs,
    stack_parser,
)
from report import markdown_table, percentile, text_table
from router_latency import WrongAnswer, stopped, versions
from soak_report import ProcessTrend, Series, rows, trends
from stack import ROOT, StackError
from workloads import prepare, scenarios

ROUTER = "router"
MIN_SAMPLES = 6  # so that the second half has at least three


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The soak run's options (bounded: at most two hours)."""
    parser = stack_parser(__doc__, ROOT / "docs" / "bench-suite-soak.md", clients=4)
    parser.add_argument("--minutes", type=float, default=10.0, help="load duration")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--workers", type=int, default=1, help="the router's worker processes")
    parser.add_argument(
        "--max-slope", type=float, default=DEFAULT_MAX_SLOPE, help="MiB/min (see growth.py)"
    )
    parser.add_argument(
        "--min-growth", type=float, default=DEFAULT_MIN_GROWTH, help="MiB (see growth.py)"
    )
    args = parser.parse_args(argv)
    args.dataset = checked_stack_options(parser, args)
    if not 0 < args.minutes <= 120:
        parser.error("--minutes must be more than 0 and at most 120")
    if args.interval <= 0 or args.minutes * 60 / args.interval < MIN_SAMPLES:
        parser.error(f"--interval must leave at least {MIN_SAMPLES} samples in the run")
    if not (1 <= args.clients <= 256 and 1 <= args.workers <= 16):
        parser.error("--clients must be 1-256 and --workers 1-16")
    return args


async def _soak(
    url: str,
    schedules: tuple[tuple[bytes, ...], ...],
    headers: dict[str, str],
    pids: Mapping[str, int],
    args: argparse.Namespace,
) -> tuple[Throughput, dict[str, Series]]:
    """Load ``url`` for the run's length while sampling every process's memory."""
    series: dict[str, Series] = {name: [] for name in pids}
    load = asyncio.create_task(run_load(url, schedules, seconds=args.minutes * 60, headers=headers))
    started = time.monotonic()
    done = False
    while not done:
        now = time.monotonic() - started
        for name, memory in (await asyncio.to_thread(snapshot, pids)).items():
            series[name].append((now, memory))
        finished, _ = await asyncio.wait({load}, timeout=args.interval)
        done = bool(finished)
    now = time.monotonic() - started
    for name, memory in (await asyncio.to_thread(snapshot, pids)).items():
        series[name].append((now, memory))
    return load.result(), series


def _summary(load: Throughput) -> str:
    latencies = load.latencies or (0.0,)
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (50, 95, 99))
    return (
        f"{load.requests} answers, {load.per_second:.1f} req/s, latency p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms, p99 {p99:.2f} ms, {load.failures} failed"
    )


def _page(
    args: argparse.Namespace,
    load: Throughput,
    found: list[ProcessTrend],
    criterion: Criterion,
    verdict: str,
) -> str:
    v = versions()
    first_failure = f" First failure: {load.first_failure}" if load.first_failure else ""
    return f"""# Soak run

Written by `bench/soak.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (commit {v["commit"]});
run it again rather than editing this page. How it measures: `bench/README.md`.

Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {v["python"]}.
Stack: Postgres, a private redis-server, production mode, `fedtasks router --workers
{args.workers}` (entity cache {"on" if args.entity_cache else "off"}). Load: the suite's
90/10 read/write mix from {args.clients} closed-loop clients for {args.minutes:g} minutes;
RSS of every process sampled every {args.interval:g} s.

Load: {_summary(load)}.{first_failure}

Criterion: {criterion.describe()}. Only the router's verdict decides the run.

**{verdict}**

![RSS over time]({args.chart.name})

{markdown_table(rows(found, ROUTER))}
"""


def _run(args: argparse.Namespace) -> tuple[Throughput, dict[str, Series]]:
    """Start the stack with one router, soak it; the load's figures and the memory series."""
    routers = router_specs((args.workers,), entity_cache=args.entity_cache)
    with production_stack(
        args.dataset, admin_url=args.postgres, routers=routers, gateway=False
    ) as stack:
        with httpx.Client(timeout=30) as client:
            lifetime = args.minutes * 60 + 3600
            fixture = prepare(
                client, stack.router, stack.jwt_secret, clients=args.clients, lifetime=lifetime
            )
        [mix] = scenarios(fixture, args.clients, ("mix",))
        print(f"soaking {stack.router} for {args.minutes:g} min", flush=True)
        return asyncio.run(_soak(stack.router, mix.schedules, fixture.headers, stack.pids, args))


def main(argv: list[str] | None = None) -> int:
    """Run the soak; 0 when the router's memory levels off, 1 when not, 2 on setup errors."""
    args = arguments(argv)
    criterion = Criterion(max_slope=args.max_slope, min_growth=args.min_growth)
    print(f"criterion: {criterion.describe()}", flush=True)
    try:
        load, series = _run(args)
    except (StackError, WrongAnswer) as problem:
        return stopped(problem)
    found = trends(series, criterion)
    router = next(trend for trend in found if trend.name == ROUTER)
    growing = router.growth.keeps_growing
    verdict = (
        f"The router's memory {'KEEPS GROWING' if growing else 'levels off'}: "
        f"{router.growth.slope:+.3f} MiB/min, {router.growth.growth:+.2f} MiB over the "
        f"second half ({router.growth.samples} samples)."
    )
    print(f"\nload: {_summary(load)}\n")
    print(text_table(rows(found, ROUTER)))
    print(f"\n{verdict}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(_page(args, load, found, criterion, verdict), encoding="utf-8")
    soak_chart(
        args.chart,
        {trend.name: trend.mib() for trend in found},
        {ROUTER: router.growth.line},
        f"Soak: RSS per process, {args.minutes:g} min of the 90/10 mix",
    )
    print(f"wrote {args.output} and {args.chart}")
    if load.failures:
        print(f"FAILED: {load.failures} requests failed; first: {load.first_failure}")
    return 1 if growing or load.failures else 0


if __name__ == "__main__":
    sys.exit(main())
