"""Run ``fedtasks`` commands as real processes, and wait for their HTTP servers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.auth import JWT_SECRET, SUBGRAPH_SECRET

FEDTASKS = shutil.which("fedtasks", path=str(Path(sys.executable).parent)) or "fedtasks"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(**overrides: str) -> dict[str, str]:
    """This process's environment, the stack's shared secrets, plus ``overrides``.

    Every process runs in production mode unless told otherwise, so subgraphs require the
    router's secret (FEDTASKS_SUBGRAPH_SECRET) and the router verifies tokens signed with
    the users subgraph's FEDTASKS_JWT_SECRET: both are the tests' own (tests/support/auth.py).
    A ``REDIS_URL`` (this process's, or an override) comes with a key namespace of its own,
    unless one is given: processes started from one environment share their Redis keys,
    and never meet another test's, an earlier run's or a user's ``fedtasks:`` keys.
    """
    secrets = {"FEDTASKS_SUBGRAPH_SECRET": SUBGRAPH_SECRET, "FEDTASKS_JWT_SECRET": JWT_SECRET}
    env = {**os.environ, **secrets, **overrides}
    if env.get("REDIS_URL") and "FEDTASKS_CACHE_NAMESPACE" not in overrides:
        env["FEDTASKS_CACHE_NAMESPACE"] = f"fedtasks-test:{uuid.uuid4().hex[:12]}:"
    return env


def run(args: list[str], *, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``fedtasks ARGS`` to completion, capturing its output."""
    return subprocess.run(
        [FEDTASKS, *args], cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=120
    )


def wait_until_up(url: str, process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Poll ``url`` until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"process exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up within {timeout}s")


@contextmanager
def running(
    args: list[str], *, cwd: Path, env: Mapping[str, str]
) -> Iterator[subprocess.Popen[str]]:
    """``fedtasks ARGS`` running in the background; interrupted (Ctrl-C) on exit."""
    process = subprocess.Popen(
        [FEDTASKS, *args],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
