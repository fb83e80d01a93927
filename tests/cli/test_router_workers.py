"""``fedtasks router --workers N``: worker processes that share the cache through Redis."""

from __future__ import annotations

import hashlib
import signal
import subprocess
from pathlib import Path

import httpx

from tests.support.processes import (
    FEDTASKS,
    environment,
    free_port,
    run,
    running,
    wait_until_up,
)
from tests.support.redis_server import RedisServer

REPO = Path(__file__).resolve().parents[2]
SUPERGRAPH = str(REPO / "schema/supergraph.graphql")
START_BOUND = 90.0
"""Seconds two worker processes may take to start (each imports and builds the router):
a safety net a loaded machine can need, never what the tests check."""
QUERY = "{ __typename }"
PERSISTED = {"version": 1, "sha256Hash": hashlib.sha256(QUERY.encode()).hexdigest()}


def _spawned_workers(supervisor: int) -> int:
    """Child processes of ``supervisor`` started by multiprocessing's spawn (the workers)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(errors="replace")
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        count += parent == supervisor and b"spawn_main" in command
    return count


def test_workers_share_persisted_queries_through_redis(tmp_path: Path) -> None:
    redis = RedisServer(tmp_path)
    redis.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    args = ["router", "--supergraph", SUPERGRAPH, "--port", str(port), "--workers", "2"]
    env = environment(REDIS_URL=redis.url, LOG_LEVEL="warning")
    try:
        with running(args, cwd=tmp_path, env=env) as router:
            wait_until_up(f"http://127.0.0.1:{port}/health", router, timeout=START_BOUND)
            assert _spawned_workers(router.pid) == 2
            registered = httpx.post(
                url, json={"query": QUERY, "extensions": {"persistedQuery": PERSISTED}}
            )
            assert registered.json() == {"data": {"__typename": "Query"}}
            # Each request on a new connection, taken by whichever worker accepts it: every
            # one finds the query the other worker may have registered.
            for _ in range(20):
                by_hash = httpx.post(url, json={"extensions": {"persistedQuery": PERSISTED}})
                assert by_hash.json() == {"data": {"__typename": "Query"}}
        assert router.returncode == 0
    finally:
        redis.kill()


def test_workers_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    for value in ("0", "two", "-1"):
        result = run(["router", "--workers", value], cwd=tmp_path, env=environment())
        assert result.returncode == 2
        assert "--workers: must be a whole number of at least 1" in result.stderr


def test_a_bad_supergraph_stops_the_router_before_any_worker_starts(tmp_path: Path) -> None:
    result = run(
        ["router", "--supergraph", "nope.graphql", "--workers", "2"],
        cwd=tmp_path,
        env=environment(),
    )
    assert result.returncode == 2
    assert "cannot read the supergraph nope.graphql" in result.stderr
    assert "spawn" not in result.stderr


def test_workers_without_redis_are_warned_that_nothing_is_shared(tmp_path: Path) -> None:
    port = free_port()
    args = ["router", "--supergraph", SUPERGRAPH, "--port", str(port), "--workers", "2"]
    env = {k: v for k, v in environment(LOG_LEVEL="warning").items() if k != "REDIS_URL"}
    log = tmp_path / "router.log"
    with log.open("w") as output:
        router = subprocess.Popen([FEDTASKS, *args], cwd=tmp_path, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, text=True)  # fmt: skip
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health", router, timeout=START_BOUND)
        finally:
            router.send_signal(signal.SIGINT)
            router.wait(timeout=30)
    assert "--workers 2 without REDIS_URL" in log.read_text()
