"""``fedtasks`` processes for fault tests: output to a log file, signals, kill and restart.

The output goes to a file, not a pipe: a process that logs every request under load would
fill a pipe nobody reads and stall. Every wait is bounded; a bound reached is a failure
that shows the process's log.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from tests.support.processes import FEDTASKS, environment

SUBGRAPH_SECRET = "fault-tests-router-to-subgraph-secret"
"""FEDTASKS_SUBGRAPH_SECRET of every process these tests start (production mode)."""

BOUND = 60.0
"""Seconds after which a wait gives up (a safety net, never what a test checks)."""


def base_environment(**overrides: str) -> dict[str, str]:
    """Production mode with the router secret, no rate limit, no shared Redis, quiet logs."""
    defaults = {
        "FEDTASKS_SUBGRAPH_SECRET": SUBGRAPH_SECRET,
        "FEDTASKS_RATE_LIMIT": "0",
        "LOG_LEVEL": "warning",
        "LOG_FORMAT": "text",
    }
    env = environment(**{**defaults, **overrides})
    if "REDIS_URL" not in overrides:
        env.pop("REDIS_URL", None)
    env.pop("FEDTASKS_DEV", None)
    return env


class Process:
    """One ``fedtasks`` command, which can be started again (same arguments) after it stops."""

    def __init__(self, args: list[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> None:
        self.args = args
        self.cwd = cwd
        self.env = dict(env)
        self.log = log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        """Start the command, appending its output to the log."""
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(
                [FEDTASKS, *self.args],
                cwd=self.cwd,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def pid(self) -> int:
        """The running process's id."""
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        """Whether the process is running."""
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        """Everything the process (every start of it) has written."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_until_up(self, url: str) -> None:
        """Poll ``url`` until it answers 200; fail with the log if the process exits."""
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(f"{self.args} exited:\n{self.output()}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"{url} did not come up:\n{self.output()}")

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the process."""
        assert self.popen is not None
        self.popen.send_signal(signum)

    def wait(self) -> int:
        """Wait (bounded) for the process to exit; its exit code."""
        assert self.popen is not None
        try:
            return self.popen.wait(timeout=BOUND)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.args} did not exit:\n{self.output()}") from None

    def kill(self) -> None:
        """SIGKILL, as a crash: no shutdown, connections cut by the kernel."""
        if self.alive():
            assert self.popen is not None
            self.popen.kill()
            self.popen.wait()

    def stop(self) -> None:
        """Interrupt (Ctrl-C) and wait; kill if it does not exit."""
        if not self.alive():
            return
        assert self.popen is not None
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def refuses_connections(port: int) -> bool:
    """Whether nothing accepts connections on 127.0.0.1:``port`` any more."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


def wait_until(condition: object, what: str, *, log: Process | None = None) -> None:
    """Poll ``condition()`` until true (bounded); fail naming ``what``."""
    assert callable(condition)
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}\n{log.output() if log else ''}")
