"""Event-loop lag of a well-behaved client, with and without a bounded hostile load.

Starts ``fedtasks router`` in production mode (its defaults: limits, prepare deadline,
edge timeouts; no subgraph runs, every answer is the router's own), then for
``--seconds`` each:

1. quiet: one client sends ``{ __typename }`` (cached after its first time) in a loop;
2. hostile: the same client while ``--attackers`` threads send, as fast as answers come,
   a rotation of the attacks of tests/hostile (a root fragment bomb of 2^40 fields, a
   set of 500 fields, a document slow to validate made new each time so that it is
   validated again, APQ garbage) and ``--idle`` connections hold sockets open without
   sending headers.

The client's wait for an answer is the router's event-loop lag plus a fixed cost; the
script prints p50/p99/max of both phases side by side, and how long the refusal of the
2^40 bomb took. Run ``.venv/bin/python bench/event_loop_lag.py`` (about 30 seconds).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import itertools
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
TYPENAME = b'{"query": "{ __typename }"}'


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def root_bomb(levels: int) -> str:
    """``{ ...F<levels> }``, each fragment spreading the one below twice."""
    below = " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    )
    return f"query {{ ...F{levels} }} fragment F0 on Query {{ __typename }} {below}"


def slow_to_validate(turn: int) -> str:
    """95 root fields compared pairwise by validation; ``turn`` makes each one new."""
    field = "users { edges { node { " + "id " * 17 + "} } } "
    return "{ " + f"t{turn}: __typename " + field * 94 + "}"


def attacks() -> Iterator[bytes]:
    """Request bodies of the hostile load, in rotation; slow documents are new each time."""
    garbage = "x" * 60_000
    digest = hashlib.sha256(garbage.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    fixed = [
        orjson.dumps({"query": root_bomb(40)}),
        orjson.dumps({"query": "{ " + "__typename " * 500 + "}"}),
        orjson.dumps({"query": garbage, "extensions": persisted}),
    ]
    for turn in itertools.count():
        yield fixed[turn % len(fixed)]
        yield orjson.dumps({"query": slow_to_validate(turn)})


def post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    """POST ``body`` to /graphql on ``connection``."""
    connection.request("POST", "/graphql", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def probe(port: int, seconds: float) -> list[float]:
    """Seconds each ``{ __typename }`` waited, sent one after another for ``seconds``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    post(connection, TYPENAME)
    waits: list[float] = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        started = time.perf_counter()
        status, body = post(connection, TYPENAME)
        waits.append(time.perf_counter() - started)
        assert status == 200, body
        time.sleep(0.005)
    connection.close()
    return waits


def attacker(port: int, stop: threading.Event, codes: dict[str, int]) -> None:
    """Send the rotation of attacks until ``stop``; count the codes they get."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for body in attacks():
        if stop.is_set():
            break
        status, raw = post(connection, body)
        code = orjson.loads(raw)["errors"][0]["extensions"]["code"] if status != 200 else "200"
        codes[code] = codes.get(code, 0) + 1
    connection.close()


def figures(waits: list[float]) -> str:
    """p50, p99 and max of ``waits`` in milliseconds."""
    ordered = sorted(waits)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms   "
        f"max {ordered[-1] * 1000:6.1f} ms   ({len(ordered)} answers)"
    )


def main() -> int:
    """Run both phases and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--attackers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=20)
    args = parser.parse_args()
    fedtasks = shutil.which("fedtasks", path=str(Path(sys.executable).parent)) or "fedtasks"
    port = free_port()
    nowhere = f"http://127.0.0.1:{free_port()}/graphql"
    env = {
        **os.environ,
        "FEDTASKS_SUBGRAPH_URL_USERS": nowhere,
        "FEDTASKS_SUBGRAPH_URL_TASKS": nowhere,
        "FEDTASKS_SUPERGRAPH_POLL_SECONDS": "0",
        "FEDTASKS_SUBGRAPH_SECRET": "bench-secret",
        "LOG_LEVEL": "warning",
    }
    for name in ("FEDTASKS_DEV", "REDIS_URL", "FEDTASKS_RATE_LIMIT", "FEDTASKS_INTROSPECTION"):
        env.pop(name, None)
    supergraph = str(REPO / "schema" / "supergraph.graphql")
    with tempfile.TemporaryDirectory() as directory, open(Path(directory) / "log", "w") as log:
        router = subprocess.Popen(
            [fedtasks, "router", "--supergraph", supergraph, "--port", str(port)],
            cwd=directory,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            status, raw = post(connection, orjson.dumps({"query": root_bomb(40)}))
            bomb = time.perf_counter() - started
            connection.close()
            code = orjson.loads(raw)["errors"][0]["extensions"]["code"]
            print(f"2^40 root fragment bomb: {status} {code} in {bomb * 1000:.1f} ms")
            quiet = probe(port, args.seconds)
            stop = threading.Event()
            codes: dict[str, int] = {}
            idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.idle)]
            threads = [
                threading.Thread(target=attacker, args=(port, stop, codes))
                for _ in range(args.attackers)
            ]
            for thread in threads:
                thread.start()
            hostile = probe(port, args.seconds)
            stop.set()
            for thread in threads:
                thread.join()
            for sock in idle:
                sock.close()
        finally:
            router.send_signal(signal.SIGINT)
            router.wait(timeout=30)
    print(f"quiet:   {figures(quiet)}")
    print(f"hostile: {figures(hostile)}")
    print(f"hostile load: {args.attackers} attackers, {args.idle} idle sockets, answers: {codes}")
    ratio = sorted(hostile)[int(len(hostile) * 0.99)] / sorted(quiet)[int(len(quiet) * 0.99)]
    print(f"p99 hostile / quiet: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
