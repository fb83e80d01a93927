"""Resident memory (RSS) of a service's processes, read from Linux's /proc.

A service may be several processes (``fedtasks router --workers 2`` is a supervisor and
two workers), so its memory is that of its whole process tree: the sum of each process's
current RSS (``VmRSS``), and the sum of their peaks (``VmHWM``, each process's high-water
mark; their sum bounds the tree's peak from above).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Memory:
    """One service's memory at one moment: processes counted, current and peak RSS."""

    processes: int
    rss: int  # bytes
    peak: int  # bytes

    @property
    def rss_mib(self) -> float:
        """Current RSS in MiB."""
        return self.rss / MIB

    @property
    def peak_mib(self) -> float:
        """Summed peak RSS in MiB."""
        return self.peak / MIB


def status_fields(text: str) -> dict[str, int]:
    """The ``kB`` fields of a /proc/PID/status text, in bytes (``VmRSS``, ``VmHWM``, ...)."""
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            fields[name] = int(parts[0]) * 1024
    return fields


def descendants(root: int, parents: Mapping[int, int]) -> list[int]:
    """``root`` and every process below it, given each process's parent id."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, ()))
    return sorted(found)


def _parents() -> dict[int, int]:
    """Every live process's parent id."""
    parents = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:  # the process ended while we looked
            continue
        # After the command name (which may hold spaces and parentheses): state, ppid.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def combine(statuses: Iterable[Mapping[str, int]]) -> Memory:
    """The memory of a process tree from its processes' status fields."""
    counted = list(statuses)
    return Memory(
        processes=len(counted),
        rss=sum(s.get("VmRSS", 0) for s in counted),
        peak=sum(s.get("VmHWM", 0) for s in counted),
    )


def tree_memory(root: int) -> Memory:
    """The memory of process ``root`` and all its descendants, now."""
    statuses = []
    for pid in descendants(root, _parents()):
        try:
            text = (PROC / str(pid) / "status").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        statuses.append(status_fields(text))
    return combine(statuses)


def snapshot(pids: Mapping[str, int]) -> dict[str, Memory]:
    """The memory of every named service (by its top process id), now."""
    return {name: tree_memory(pid) for name, pid in pids.items()}
