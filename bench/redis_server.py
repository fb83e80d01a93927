"""A private redis-server for one benchmark run: the routers' shared cache, then gone.

A private server (free port, no persistence, in the run's directory) keeps the benchmark
off the Redis other work on the machine uses, makes its memory measurable, and needs no
clean-up of anyone's data.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from stack import STOP_TIMEOUT, StackError, _free_port

START_TIMEOUT = 20.0


@dataclass(frozen=True)
class RedisServer:
    """A running redis-server: its URL (database 0) and process id."""

    url: str
    pid: int


def _wait_for_ping(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    client = redis.Redis.from_url(url, socket_timeout=1)
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
                raise StackError(
                    f"redis-server exited with {process.returncode}:\n{output[-2000:]}"
                )
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise StackError(f"redis-server did not answer at {url} within {START_TIMEOUT:.0f}s")
    finally:
        client.close()


@contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    """Start redis-server on a free loopback port in ``directory``; stop it on exit."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise StackError("redis-server is not installed (the benchmark runs its own)")
    port = _free_port()
    log = directory / "redis.log"
    args = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", str(directory), "--logfile", str(log)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_ping(url, process, log)
        yield RedisServer(url=url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
