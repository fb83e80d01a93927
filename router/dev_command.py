"""``fedtasks dev``: the whole stack on embedded defaults, in one command.

Applies the migrations, seeds demo data on the first run, starts the users and tasks
subgraphs, composes the supergraph from what they serve, starts the router, prints the
GraphiQL URL, and stops all three on Ctrl-C. Each service is a separate process; the
router never imports subgraph code (DESIGN.md).

The three share two secrets: FEDTASKS_SUBGRAPH_SECRET (the subgraphs answer the router
only) and FEDTASKS_JWT_SECRET (the users subgraph signs tokens, the router verifies
them). Each is taken from the environment when set there, else made up for this run.

The children die with this process, however it ends: on Linux each asks the kernel for a
SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), so a ``fedtasks dev`` killed hard
(SIGKILL, a crashed terminal) leaves nothing holding the ports. Before starting anything
the three ports are checked: one already in use is refused in one line naming it.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
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


_PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal this process gets when its parent dies (Linux)."""


def _die_with(parent: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` making the child get SIGTERM when ``parent`` dies (Linux), else None.

    It runs in the child between fork and exec, so it only calls prctl and getppid. The
    death signal survives exec; if the parent died before prctl took effect, the child
    was already re-parented and stops at once instead of running orphaned.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _busy_port(host: str, ports: dict[str, int]) -> str | None:
    """The refusal for the first of ``ports`` (by what serves on it) already in use, if any.

    The probe binds as uvicorn does (SO_REUSEADDR), so connections of an earlier run still
    in TIME_WAIT do not count as the port being used.
    """
    for what, port in ports.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                return (
                    f"fedtasks dev: port {port} ({what}) on {host} is already in use; stop what "
                    f"holds it (an earlier fedtasks dev?) or choose another port"
                )
    return None


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
    busy = _busy_port(
        args.host,
        {
            "the router, --port": args.port,
            "the users subgraph, --users-port": args.users_port,
            "the tasks subgraph, --tasks-port": args.tasks_port,
        },
    )
    if busy is not None:
        print(busy, file=sys.stderr)
        return 1
    DATA_DIR.mkdir(exist_ok=True)
    env = _environment()
    os.environ.update(env)
    preexec = _die_with(os.getpid())
    steps = [("migrations", _subgraphs("db", "upgrade"))]
    if not args.no_seed and not SEEDED_MARKER.exists():
        steps.append(("seed", _subgraphs("seed", "--users", "20", "--tasks", "200", "--seed", "1")))
    for step, command in steps:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, preexec_fn=preexec, check=False)
        if done.returncode != 0:
            print(f"fedtasks dev: the {step} failed (exit {done.returncode})", file=sys.stderr)
            return 1
    if not args.no_seed:
        SEEDED_MARKER.touch()
    ports = {"users": args.users_port, "tasks": args.tasks_port}
    urls = {name: f"http://{args.host}:{port}/graphql" for name, port in ports.items()}
    processes = [
        subprocess.Popen(
            _subgraphs(
                "subgraph", name, "--host", args.host, "--port", str(port), "--no-migrate", "--dev"
            ),
            env=env,
            preexec_fn=preexec,
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
        processes.append(subprocess.Popen(router, env=env, preexec_fn=preexec))
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
