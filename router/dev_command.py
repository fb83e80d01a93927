"""``fedtasks dev``: the whole stack on embedded defaults, in one command.

Applies the migrations, seeds demo data on the first run, starts the users and tasks
subgraphs, composes the supergraph from what they serve, starts the router, prints the
GraphiQL URL, and stops all three on Ctrl-C. Each service is a separate process; the
router never imports subgraph code (DESIGN.md).

The three share two secrets: FEDTASKS_SUBGRAPH_SECRET (the subgraphs answer the router
only) and FEDTASKS_JWT_SECRET (the users subgraph signs tokens, the router verifies
them). Each is taken from the environment when set there, else made up for this run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from router.composition.compose import SubgraphSource, compose
from router.composition.config import fetch_sdl, subgraph_headers

DATA_DIR = Path("data")
SEEDED_MARKER = DATA_DIR / ".seeded"
SUPERGRAPH_FILE = DATA_DIR / "supergraph.graphql"


def add_dev(commands: Any) -> None:
    """Register ``fedtasks dev`` on the top-level parser."""
    parser = commands.add_parser("dev", help="run the whole stack on embedded defaults")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4000, help="the router's port")
    parser.add_argument("--users-port", type=int, default=4001)
    parser.add_argument("--tasks-port", type=int, default=4002)
    parser.add_argument("--no-seed", action="store_true", help="do not load demo data")
    parser.set_defaults(run=_dev)


def _subgraphs(*args: str) -> list[str]:
    return [sys.executable, "-m", "subgraphs", *args]


def _wait_ready(url: str, processes: list[subprocess.Popen[bytes]], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return False


def _environment() -> dict[str, str]:
    """The environment for the three processes: this one's, with the two shared secrets."""
    env = dict(os.environ)
    for name in ("FEDTASKS_SUBGRAPH_SECRET", "FEDTASKS_JWT_SECRET"):
        if not env.get(name):
            env[name] = secrets.token_urlsafe(32)
    return env


def _dev(args: argparse.Namespace) -> int:
    DATA_DIR.mkdir(exist_ok=True)
    env = _environment()
    os.environ.update(env)
    subprocess.run(_subgraphs("db", "upgrade"), check=True, stdout=subprocess.DEVNULL)
    if not args.no_seed and not SEEDED_MARKER.exists():
        subprocess.run(
            _subgraphs("seed", "--users", "20", "--tasks", "200", "--seed", "1"), check=True
        )
        SEEDED_MARKER.touch()
    ports = {"users": args.users_port, "tasks": args.tasks_port}
    urls = {name: f"http://{args.host}:{port}/graphql" for name, port in ports.items()}
    processes = [
        subprocess.Popen(
            _subgraphs(
                "subgraph", name, "--host", args.host, "--port", str(port), "--no-migrate", "--dev"
            ),
            env=env,
        )
        for name, port in ports.items()
    ]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for name, port in ports.items():
            if not _wait_ready(f"http://{args.host}:{port}/ready", processes):
                print(f"fedtasks dev: the {name} subgraph did not start", file=sys.stderr)
                return 1
        headers = subgraph_headers()
        result = compose(
            [SubgraphSource(n, u, fetch_sdl(u, headers=headers)) for n, u in urls.items()]
        )
        if result.supergraph is None:
            for error in result.errors:
                print(f"{error.code}: {error.message}", file=sys.stderr)
            return 1
        SUPERGRAPH_FILE.write_text(result.supergraph + "\n", encoding="utf-8")
        router = [sys.executable, "-m", "router", "router", "--supergraph", str(SUPERGRAPH_FILE)]
        router += ["--host", args.host, "--port", str(args.port), "--dev"]
        processes.append(subprocess.Popen(router, env=env))
        if not _wait_ready(f"http://{args.host}:{args.port}/health", processes):
            print("fedtasks dev: the router did not start", file=sys.stderr)
            return 1
        print(
            f"fedtasks dev: GraphiQL on http://{args.host}:{args.port}/graphql "
            f"(users :{args.users_port}, tasks :{args.tasks_port}; Ctrl-C stops)",
            flush=True,
        )
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=15)
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
    return 0 if stopping or not failed else 1
