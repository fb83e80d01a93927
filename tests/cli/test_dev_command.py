"""``fedtasks dev`` as real processes: its children die with it, and a busy port is named.

Killed hard (SIGKILL: no handler runs), ``fedtasks dev`` used to leave its two subgraphs
and its router running and holding their ports, so the next start failed with a
traceback. Now each child gets SIGTERM from the kernel when its parent dies, and a port
already in use is refused before anything starts, in one line naming it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import FEDTASKS, environment, free_port, wait_until_up

BOUND = 60.0
"""Seconds after which a wait gives up (a safety net, not what the tests check)."""

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc"), reason="children are found through /proc (Linux)"
)


def children_of(pid: int) -> set[int]:
    """The live processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not reaped, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(condition: object, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


@pytest.fixture
def ports() -> dict[str, int]:
    return {"--port": free_port(), "--users-port": free_port(), "--tasks-port": free_port()}


def dev(ports: dict[str, int], cwd: Path) -> subprocess.Popen[str]:
    args = [FEDTASKS, "dev"]
    for option, port in ports.items():
        args += [option, str(port)]
    return subprocess.Popen(
        args,
        cwd=cwd,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def stopped() -> Iterator[list[int]]:
    """Pids to SIGKILL at the end, should a test fail with them still running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_killed_hard_its_children_die_with_it_and_free_their_ports(
    tmp_path: Path, ports: dict[str, int], stopped: list[int]
) -> None:
    process = dev(ports, tmp_path)
    stopped.append(process.pid)
    try:
        wait_until_up(f"http://127.0.0.1:{ports['--port']}/health", process, timeout=BOUND)
        children = children_of(process.pid)
        stopped.extend(children)
        assert len(children) == 3  # users, tasks, router

        process.kill()
        process.wait(timeout=BOUND)

        wait_for(lambda: not any(alive(pid) for pid in children), "the children exit")
        wait_for(lambda: not any(listening(port) for port in ports.values()), "ports freed")
    finally:
        if process.stdout is not None:
            process.stdout.close()


def test_a_port_in_use_is_named_in_one_line_and_nothing_starts(
    tmp_path: Path, ports: dict[str, int]
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", ports["--tasks-port"]))
        holder.listen()
        process = dev(ports, tmp_path)
        output, _ = process.communicate(timeout=BOUND)

        assert process.returncode == 1
        assert output.splitlines() == [
            f"fedtasks dev: port {ports['--tasks-port']} (the tasks subgraph, --tasks-port) on "
            "127.0.0.1 is already in use; stop what holds it (an earlier fedtasks dev?) or "
            "choose another port"
        ]
        assert not (tmp_path / "data").exists()  # refused before migrating anything
        assert not listening(ports["--port"])
        assert not listening(ports["--users-port"])
