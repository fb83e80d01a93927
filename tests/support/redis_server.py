"""A private redis-server for tests that kill, freeze and restart Redis under the router.

The shared Redis at 127.0.0.1:6379 must never go down or stall under other tests, so
outage tests start their own on a free port, with no persistence (a restart comes back
empty) and DEBUG allowed from localhost (DEBUG SLEEP makes a slow Redis).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.processes import free_port
from tests.support.services import IN_CI


class RedisServer:
    """One redis-server process on a fixed port, which can be killed and started again."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The redis:// URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start redis-server (on the same port as before, after a kill) and wait for PONG."""
        executable = shutil.which("redis-server")
        if executable is None:
            message = "redis-server is not installed"
            if IN_CI:
                pytest.fail(f"{message}; CI must provide it", pytrace=False)
            pytest.skip(message)
        self.process = subprocess.Popen(
            [
                executable,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--enable-debug-command", "local",
                "--dir", str(self.directory),
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait_for_pong()

    def kill(self) -> None:
        """SIGKILL the server, as a crash would: its connections are closed by the kernel."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP the server: connections stay open and nothing answers (a hung Redis)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT a frozen server."""
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def _wait_for_pong(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.directory / "redis.log").read_text(errors="replace")
                raise AssertionError(f"redis-server exited with {self.process.returncode}:\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError(f"redis-server on port {self.port} did not answer in {timeout}s")
