"""Probe: after a write acknowledged by one replica, can the other serve the old value.

Two ``fedtasks router`` processes share one Redis (a private redis-server), in production
mode, over the seeded subgraphs, while background clients load both routers. Each round,
a signed-up user renames themself through router A; as soon as A answers, the user's name
is read through router B (and A). A read that returns any name but the new one is stale.
Two phases: Redis healthy, and Redis paused (``CLIENT PAUSE``, all commands) for a moment
at the start of each write, as a slow or failing-over Redis would be. The promise
(README, "The cache"): 0 stale reads in both, since a mutation is answered only once Redis
confirmed its invalidation, within ``FEDTASKS_CACHE_INVALIDATION_WAIT``.

    .venv/bin/python bench/stale_reads.py [--rounds 200] [--pause-ms 300] [--clients 16]

``--wait 0.001`` runs the routers with almost no invalidation wait: what the router did
before it waited for the confirmation (the control run; stale reads expected).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import redis.asyncio as redis_asyncio
from load import run_load
from redis_server import redis_server
from report import markdown_table, text_table
from stack import Dataset, RouterSpec, StackError, running_stack

READ = "query($id: ID!) { user(id: $id) { name } }"
RENAME = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { name } }"
SIGN_UP = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }"
LOAD = "{ tasks(first: 20) { edges { node { title assignee { name } } } } }"


@dataclass
class Phase:
    """What one phase saw."""

    name: str
    rounds: int = 0
    stale: int = 0
    write_ms: tuple[float, ...] = ()


async def _post(
    http: httpx.AsyncClient, url: str, query: str, variables: dict[str, object], token: str = ""
) -> dict[str, object]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(url, json={"query": query, "variables": variables}, headers=headers)
    body: dict[str, object] = response.json()
    if response.status_code != 200 or "errors" in body:
        raise StackError(f"{url} answered {response.status_code}: {response.text[:300]}")
    return body


async def probe(urls: dict[str, str], redis_url: str, args: argparse.Namespace) -> list[Phase]:
    """Run both phases; the stale reads each saw."""
    a, b = urls["a"], urls["b"]
    control = redis_asyncio.Redis.from_url(redis_url)
    phases = [Phase("Redis healthy"), Phase(f"Redis paused {args.pause_ms} ms per write")]
    async with httpx.AsyncClient(timeout=30) as http:
        people = []
        for n in range(args.users):
            body = await _post(
                http,
                a,
                SIGN_UP,
                {"i": {"name": f"p{n}", "email": f"probe{n}@example.com", "password": "a secret"}},
            )
            payload = body["data"]["signUp"]  # type: ignore[index]
            people.append((payload["token"], payload["user"]["id"]))
        for phase in phases:
            times: list[float] = []
            for round_ in range(args.rounds):
                token, user = people[round_ % len(people)]
                await _post(http, b, READ, {"id": user})  # warm B's cache with the old name
                name = f"{phase.name[:5]}-{round_}"
                if phase is phases[1]:
                    await control.execute_command("CLIENT", "PAUSE", str(args.pause_ms), "ALL")
                loop = asyncio.get_running_loop()
                started = loop.time()
                await _post(http, a, RENAME, {"id": user, "i": {"name": name}}, token)
                times.append((loop.time() - started) * 1000)
                await control.ping()  # read once Redis answers again (the pause is over)
                for url in (b, a):
                    seen = await _post(http, url, READ, {"id": user})
                    if seen["data"]["user"]["name"] != name:  # type: ignore[index]
                        phase.stale += 1
                phase.rounds += 1
            phase.write_ms = tuple(times)
    await control.aclose()
    return phases


def _background(urls: list[str], clients: int, seconds: float, stop: threading.Event) -> None:
    body = orjson.dumps({"query": LOAD})
    while not stop.is_set():
        for url in urls:
            asyncio.run(run_load(url, [(body,)] * clients, seconds=min(seconds, 2.0)))


def main(argv: list[str] | None = None) -> int:
    """Run the probe; 0 when no read was stale, 1 otherwise, 2 on setup errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--pause-ms", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16, help="background load clients")
    parser.add_argument(
        "--wait", type=float, default=None, help="FEDTASKS_CACHE_INVALIDATION_WAIT of the routers"
    )
    parser.add_argument("--output", type=Path, default=None, help="also write a Markdown page")
    args = parser.parse_args(argv)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="fedstale-") as directory,
            redis_server(Path(directory)) as redis,
        ):
            env = {"REDIS_URL": redis.url, "FEDTASKS_RATE_LIMIT": "0"}
            if args.wait is not None:
                env["FEDTASKS_CACHE_INVALIDATION_WAIT"] = str(args.wait)
            routers = {"a": RouterSpec(), "b": RouterSpec()}
            dataset = Dataset(users=50, tasks=500, seed=1)
            with running_stack(dataset, env=env, routers=routers, gateway=False) as stack:
                stop = threading.Event()
                load = threading.Thread(
                    target=_background,
                    args=([stack.urls["a"], stack.urls["b"]], args.clients, 2.0, stop),
                    daemon=True,
                )
                load.start()
                try:
                    phases = asyncio.run(probe(stack.urls, redis.url, args))
                finally:
                    stop.set()
                    load.join(timeout=10)
    except StackError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    rows = [["phase", "rounds", "stale reads", "write p50 ms", "write max ms"]]
    for phase in phases:
        p50 = statistics.median(phase.write_ms) if phase.write_ms else 0.0
        top = max(phase.write_ms, default=0.0)
        rows.append([phase.name, str(phase.rounds), str(phase.stale), f"{p50:.1f}", f"{top:.1f}"])
    print(text_table(rows))
    if args.output is not None:
        wait = "default (3 s)" if args.wait is None else f"{args.wait:g} s"
        args.output.write_text(
            "# Stale reads across two replicas\n\n"
            "Written by `bench/stale_reads.py` (run it again rather than editing this page): "
            f"two routers on one Redis, {args.clients} background load clients, "
            f"`FEDTASKS_CACHE_INVALIDATION_WAIT` {wait}.\n\n"
            f"{markdown_table(rows)}\n",
            encoding="utf-8",
        )
    return 0 if all(p.stale == 0 for p in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
