"""Benchmark the router's overhead over its own subgraph calls, and its throughput.

The overhead is measured against the subgraph calls of the router's own plan made
directly; the throughput against Apollo's gateway on the same supergraph, subgraphs and
data.

Run ``.venv/bin/python bench/router_latency.py`` (see bench/README.md). It starts and
stops every service itself, prints both ratios with a verdict against the targets, and
writes the tables to docs/bench-router.md. It exits 1 when a target is missed or an
answer is wrong, 2 when the stack cannot be set up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import orjson
from load import throughput
from plan_replay import ReplayError, calls, disagreement, record, timed
from report import (
    LATENCY_TARGET,
    THROUGHPUT_TARGET,
    LoadFigures,
    QueryResult,
    cpu_rows,
    latency_rows,
    markdown_table,
    percentile,
    summary,
    text_table,
    throughput_rows,
)
from stack import (
    FEDTASKS,
    GATEWAY_DIR,
    ROOT,
    Dataset,
    Stack,
    StackError,
    cpu_seconds,
    running_stack,
)

QUERIES = {
    "Q1": "{ tasks(first: 50) { edges { node { title assignee { name email } } } } }",
    "Q2": "{ users(first: 50) { edges { node { name tasks(first: 10) "
    "{ edges { node { title } } } } } } }",
}
HEADERS = {"content-type": "application/json", "accept": "application/json"}
FIRST_USER = "{ users(first: 1) { edges { node { id } } } }"
ISSUER = "fedtasks"
SCOPE = "member"  # what the users subgraph's login gives a seeded (non-admin) user


class WrongAnswer(Exception):
    """The router (or the gateway) answered something other than the subgraphs' data."""


def stopped(problem: Exception) -> int:
    """Say why a run stopped; its exit code: 1 for a wrong answer, 2 for a setup problem."""
    if isinstance(problem, WrongAnswer):
        print(f"FAILED: {problem}", file=sys.stderr)
        return 1
    print(f"error: {problem}", file=sys.stderr)
    return 2


def load_average(when: str) -> float:
    """The 1-minute load average, printed as the one ``when`` the run (before, after)."""
    load = os.getloadavg()[0]
    print(f"1-minute load average {when} the run: {load:.2f}", flush=True)
    return load


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed latency samples")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests first")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration per target")
    parser.add_argument("--load-warmup", type=float, default=2.0, help="untimed load first (s)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "bench-router.md")
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= 10_000 and 0 < args.seconds <= 120 and args.clients >= 1):
        parser.error("keep runs bounded: 1-10000 requests, at most 120 s of load per target")
    return args


def _plan(stack: Stack, query: str, directory: Path) -> dict[str, Any]:
    """The plan the router runs for ``query``, as ``fedtasks plan`` prints it."""
    path = directory / "operation.graphql"
    path.write_text(query, encoding="utf-8")
    args = [str(FEDTASKS), "plan", "--supergraph", str(stack.supergraph), "--query", str(path)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise StackError(f"fedtasks plan failed:\n{result.stderr}")
    plan: dict[str, Any] = json.loads(result.stdout)
    return plan


def answer(
    client: httpx.Client,
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The answer of ``url`` to ``query``; WrongAnswer unless it is data without errors."""
    request = orjson.dumps({"query": query, "variables": variables or {}})
    response = client.post(url, content=request, headers={**HEADERS, **(headers or {})})
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors") or not body.get("data"):
        raise WrongAnswer(f"{url} answered {response.status_code}: {str(body)[:500]}")
    return body


def sampled_latencies(
    client: httpx.Client,
    stack: Stack,
    name: str,
    query: str,
    *,
    warmup: int,
    requests: int,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, tuple[float, ...], tuple[float, ...]]:
    """Router latencies and direct-call latencies, sampled alternately so drift hits both.

    First checks that the router's answer is the subgraphs' data and that Apollo's
    gateway answers the same. ``headers`` go to the router and the gateway (a client's
    token); the direct calls carry what the router would add (its subgraph secret).
    Returns the plan's subgraph call count and both latency samples.
    """
    plan = _plan(stack, query, stack.logs)
    urls = {"users": stack.users, "tasks": stack.tasks}
    steps, merged = record(client, plan, urls, variables or {}, stack.subgraph_headers)
    routed = answer(client, stack.router, query, variables, headers)
    wrong = disagreement(routed["data"], merged)
    if wrong:
        raise WrongAnswer(f"{name}: the router's answer differs from the subgraphs' data: {wrong}")
    gateway = answer(client, stack.gateway, query, variables, headers)
    if gateway["data"] != routed["data"]:
        raise WrongAnswer(f"{name}: the router and Apollo's gateway answer differently")
    body = orjson.dumps({"query": query, "variables": variables or {}})
    sent = {**HEADERS, **(headers or {})}
    router: list[float] = []
    direct: list[float] = []
    for index in range(warmup + requests):
        started = time.perf_counter()
        response = client.post(stack.router, content=body, headers=sent)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or b'"errors"' in response.content:
            raise WrongAnswer(f"{name}: the router answered {response.text[:500]}")
        replayed = timed(client, steps)
        if index >= warmup:
            router.append(elapsed)
            direct.append(replayed)
    return calls(steps), tuple(router), tuple(direct)


def token(secret: str, subject: str, *, lifetime: float) -> str:
    """An HS256 token for member ``subject``, as login issues them (sub, scope, iss, exp)."""
    now = int(time.time())
    claims = {"sub": subject, "scope": SCOPE, "iss": ISSUER, "iat": now, "exp": now + int(lifetime)}
    return jwt.encode(claims, secret, algorithm="HS256")


def reader_headers(client: httpx.Client, url: str, secret: str) -> dict[str, str]:
    """A seeded user's Authorization header, valid for an hour.

    The benchmark queries read emails, which only signed-in callers may: what they measure
    is what a signed-in frontend gets.
    """
    first = answer(client, url, FIRST_USER)["data"]["users"]["edges"]
    return {"authorization": f"Bearer {token(secret, first[0]['node']['id'], lifetime=3600)}"}


def _measure(stack: Stack, name: str, query: str, args: argparse.Namespace) -> QueryResult:
    print(f"{name}: {query}", flush=True)
    with httpx.Client(timeout=30) as client:
        headers = reader_headers(client, stack.router, stack.jwt_secret)
        subgraph_calls, router, direct = sampled_latencies(
            client,
            stack,
            name,
            query,
            warmup=args.warmup,
            requests=args.requests,
            headers=headers,
        )
    print(
        f"  latency over {args.requests} sequential requests: router p50 "
        f"{percentile(router, 50) * 1000:.2f} ms, direct subgraph calls p50 "
        f"{percentile(direct, 50) * 1000:.2f} ms",
        flush=True,
    )
    return QueryResult(
        name=name,
        query=query,
        subgraph_calls=subgraph_calls,
        router_latencies=router,
        direct_latencies=direct,
        router=_load(stack, "router", query, args, headers),
        gateway=_load(stack, "gateway", query, args, headers),
    )


def _load(
    stack: Stack, target: str, query: str, args: argparse.Namespace, headers: dict[str, str]
) -> LoadFigures:
    """Throughput of ``target`` (router or gateway), and the CPU each answer cost."""
    url = stack.router if target == "router" else stack.gateway
    throughput(url, query, clients=args.clients, seconds=args.load_warmup, headers=headers)
    before = {name: cpu_seconds(pid) for name, pid in stack.pids.items()}
    measured = throughput(url, query, clients=args.clients, seconds=args.seconds, headers=headers)
    spent = {name: cpu_seconds(pid) - before[name] for name, pid in stack.pids.items()}
    answers = max(measured.requests, 1)
    print(
        f"  {target}: {measured.per_second:.1f} req/s with {args.clients} clients "
        f"for {args.seconds:g} s ({measured.failures} failed)",
        flush=True,
    )
    if measured.first_failure:
        print(f"    first failure: {measured.first_failure}", flush=True)
    return LoadFigures(
        per_second=measured.per_second,
        p50=percentile(measured.latencies or (0.0,), 50),
        failures=measured.failures,
        cpu_ms=spent[target] * 1000 / answers,
        subgraphs_cpu_ms=(spent["users"] + spent["tasks"]) * 1000 / answers,
    )


def versions() -> dict[str, str]:
    """Python, Node and Apollo versions, and the commit measured (for a results page)."""
    lock = json.loads((GATEWAY_DIR / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    changed = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    )
    return {
        "python": platform.python_version(),
        "node": node.stdout.strip(),
        "gateway": packages["node_modules/@apollo/gateway"]["version"],
        "server": packages["node_modules/@apollo/server"]["version"],
        "commit": (commit.stdout.strip() or "unknown")
        + (" with uncommitted changes" if changed.stdout.strip() else ""),
    }


def _page(results: list[QueryResult], args: argparse.Namespace, load: tuple[float, float]) -> str:
    v = versions()
    queries = "\n".join(f"- {r.name}: `{r.query}`" for r in results)
    verdicts = "\n".join(f"- {line}" for line in summary(results))
    return f"""# Router benchmark

Written by `bench/router_latency.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (commit
{v["commit"]}); run it again rather than editing this page. How it measures: see
`bench/README.md`.

Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {v["python"]},
Node {v["node"]}. Every process (both subgraphs, the router, Apollo's gateway and the load
client) shares those CPUs; the 1-minute load average was {load[0]:.2f} before the run and
{load[1]:.2f} after it (other work on the machine skews the figures).

Data: SQLite, `fedtasks seed --users {args.users} --tasks {args.tasks} --seed {args.seed}`.
Apollo: `@apollo/gateway` {v["gateway"]} in `@apollo/server` {v["server"]} (`tools/apollo-gateway`).

{queries}

## Latency: the router against the subgraph calls of its own plan

{args.requests} sequential requests after {args.warmup} untimed ones, one client with
keep-alive. "direct" is the sum of the plan's subgraph calls sent straight to the
subgraphs with the same variables and representations, sampled alternately with the
router. Target: router p50 <= {LATENCY_TARGET} x direct p50.

{markdown_table(latency_rows(results))}

## Throughput: the router against Apollo's gateway

{args.clients} concurrent clients (httpx.AsyncClient, keep-alive) for {args.seconds:g} s per
target, after {args.load_warmup:g} s of untimed load, on the same supergraph file. Target:
router >= {THROUGHPUT_TARGET:g} x gateway requests per second. The router runs with its
default in-flight deduplication (`FEDTASKS_DEDUPE`): concurrent identical queries share
their subgraph calls, which Apollo's gateway does not do; without it both are bound by the
subgraphs' CPU and the ratio is near 1.

{markdown_table(throughput_rows(results))}

CPU time each process used per answer during the same load runs (from /proc; not a
target). The subgraphs' share shows what bounds both the router's and the gateway's
throughput on this machine.

{markdown_table(cpu_rows(results))}

## Verdicts

{verdicts}
"""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every target is met, 1 when one is not, 2 on setup errors."""
    args = _arguments(argv)
    dataset = Dataset(users=args.users, tasks=args.tasks, seed=args.seed)
    load_before = load_average("before")
    try:
        with running_stack(dataset) as stack:
            print(f"stack up: router {stack.router}, gateway {stack.gateway}", flush=True)
            results = [_measure(stack, name, query, args) for name, query in QUERIES.items()]
    except (StackError, ReplayError, WrongAnswer) as problem:
        return stopped(problem)
    print()
    load_after = load_average("after")
    print()
    print(text_table(latency_rows(results)))
    print()
    print(text_table(throughput_rows(results)))
    print()
    print(text_table(cpu_rows(results)))
    print()
    for line in summary(results):
        print(line)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(_page(results, args, (load_before, load_after)), encoding="utf-8")
    print(f"\nwrote {args.output}")
    missed = [r for r in results if not (r.latency_met and r.throughput_met)]
    if missed:
        print("the router MISSED a target: " + ", ".join(r.name for r in missed))
        return 1
    print("the router met every target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
